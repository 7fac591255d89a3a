using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Evaluation.Explain;

namespace Tollgate.Server.WebConsole.Pages.Check;

/// <summary>
/// Every flag checked as one company (and optionally a user): the answer and deciding rule of each. To htmx it answers
/// only the table (<c>_FlagAnswers</c>), so the company page can load it in place.
/// </summary>
internal sealed class AllModel(ExplainService explain) : ConsolePageModel
{
    /// <summary>The company's id.</summary>
    [BindProperty(SupportsGet = true, Name = "companyId")]
    public string? CompanyId { get; set; }

    /// <summary>The user's id, if any.</summary>
    [BindProperty(SupportsGet = true, Name = "userId")]
    public string? UserId { get; set; }

    /// <summary>The answers.</summary>
    public CompanyFlagAnswers? Answers { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(CompanyId))
        {
            return RedirectToPage("Index");
        }

        Answers = await explain.ExplainAllAsync(
            Console.Scope,
            EntityReference.ById(CompanyId),
            string.IsNullOrWhiteSpace(UserId) ? null : EntityReference.ById(UserId),
            cancellationToken).ConfigureAwait(false);
        return Request.Headers["HX-Request"] == "true" ? Partial("_FlagAnswers", Answers) : Page();
    }
}
