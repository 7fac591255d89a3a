using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Evaluation.Explain;

namespace Tollgate.Server.WebConsole.Pages.Check;

/// <summary>
/// "Check as…": pick a flag, a company (found by id or the start of a key) and optionally a user, and see the answer,
/// the rule that decided it and every condition with its expected and actual value. Read-only: a GET form.
/// </summary>
internal sealed class IndexModel(RuntimeRegistry runtimes, SubjectSearch search, ExplainService explain) : ConsolePageModel
{
    /// <summary>The flag key.</summary>
    [BindProperty(SupportsGet = true, Name = "flag")]
    public string? Flag { get; set; }

    /// <summary>What was typed to find the company (an id or the start of a key value).</summary>
    [BindProperty(SupportsGet = true, Name = "company")]
    public string? CompanyText { get; set; }

    /// <summary>The company chosen from the matches.</summary>
    [BindProperty(SupportsGet = true, Name = "companyId")]
    public string? CompanyId { get; set; }

    /// <summary>What was typed to find the user.</summary>
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserText { get; set; }

    /// <summary>The user chosen from the matches.</summary>
    [BindProperty(SupportsGet = true, Name = "userId")]
    public string? UserId { get; set; }

    /// <summary>Every flag, by key, for the picker.</summary>
    public IReadOnlyList<(string Key, string Name)> Flags { get; private set; } = [];

    /// <summary>Companies matching <see cref="CompanyText"/> when it names more than one (or none).</summary>
    public IReadOnlyList<ExplainedEntity> CompanyChoices { get; private set; } = [];

    /// <summary>Users matching <see cref="UserText"/> when it names more than one (or none).</summary>
    public IReadOnlyList<ExplainedEntity> UserChoices { get; private set; } = [];

    /// <summary>Why the check cannot be made yet, if it cannot.</summary>
    public string? Pending { get; private set; }

    /// <summary>The explanation, once a flag and (if asked) a company and user are known.</summary>
    public CheckExplanation? Explanation { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        Flags = [.. catalog.FlagsInOrder.Select(f => (f.Key, f.Name))];
        if (string.IsNullOrWhiteSpace(Flag))
        {
            Pending = Flags.Count == 0 ? "There are no flags yet: create a feature first." : null;
            return;
        }

        var company = await ChooseAsync(CompanyId, CompanyText, t => search.CompaniesAsync(Console.Scope.EnvironmentId, t, cancellationToken), c => CompanyChoices = c).ConfigureAwait(false);
        var user = await ChooseAsync(UserId, UserText, t => search.UsersAsync(Console.Scope.EnvironmentId, t, cancellationToken), u => UserChoices = u).ConfigureAwait(false);
        if (company is null && !string.IsNullOrWhiteSpace(CompanyText))
        {
            Pending = CompanyChoices.Count == 0 ? $"No company has the id or a key starting with “{CompanyText.Trim()}”." : "Several companies match: choose one.";
            return;
        }

        if (user is null && !string.IsNullOrWhiteSpace(UserText))
        {
            Pending = UserChoices.Count == 0 ? $"No user has the id or a key starting with “{UserText.Trim()}”." : "Several users match: choose one.";
            return;
        }

        Explanation = await explain.ExplainAsync(Console.Scope, Flag.Trim(), company, user, cancellationToken).ConfigureAwait(false);
        // The box shows a key that finds exactly this company (or user) again, so a resubmitted form checks the same one.
        CompanyText = Explanation.Company is { } c ? c.Keys.Values.FirstOrDefault() ?? c.Id : CompanyText;
        UserText = Explanation.User is { } u ? u.Keys.Values.FirstOrDefault() ?? u.Id : UserText;
    }

    /// <summary>Suggestions while typing a company (htmx).</summary>
    public async Task<IActionResult> OnGetCompaniesAsync(CancellationToken cancellationToken)
    {
        CompanyChoices = await search.CompaniesAsync(Console.Scope.EnvironmentId, CompanyText, cancellationToken).ConfigureAwait(false);
        return Partial("_Choices", new ChoicesModel("company", CompanyChoices, this));
    }

    /// <summary>Suggestions while typing a user (htmx).</summary>
    public async Task<IActionResult> OnGetUsersAsync(CancellationToken cancellationToken)
    {
        UserChoices = await search.UsersAsync(Console.Scope.EnvironmentId, UserText, cancellationToken).ConfigureAwait(false);
        return Partial("_Choices", new ChoicesModel("user", UserChoices, this));
    }

    /// <summary>The link that checks as <paramref name="chosen"/> (a company or user) keeping the rest of the form.</summary>
    public string LinkChoosing(string kind, ExplainedEntity chosen)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        var query = new Dictionary<string, string?>
        {
            ["flag"] = Flag,
            ["companyId"] = kind == "company" ? chosen.Id : CompanyId,
            ["company"] = kind == "company" ? chosen.Keys.Values.FirstOrDefault() ?? chosen.Id : CompanyText,
            ["userId"] = kind == "user" ? chosen.Id : UserId,
            ["user"] = kind == "user" ? chosen.Keys.Values.FirstOrDefault() ?? chosen.Id : UserText,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/console/check", query.Where(p => !string.IsNullOrWhiteSpace(p.Value)));
    }

    /// <summary>The chosen id, else the single (or exact) match of the typed text; null with the choices otherwise.</summary>
    private static async Task<EntityReference?> ChooseAsync(
        string? id, string? text, Func<string, Task<IReadOnlyList<ExplainedEntity>>> search, Action<IReadOnlyList<ExplainedEntity>> choices)
    {
        if (!string.IsNullOrWhiteSpace(id))
        {
            return EntityReference.ById(id.Trim());
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var found = await search(text.Trim()).ConfigureAwait(false);
        var exact = found.FirstOrDefault(e => e.Id == text.Trim() || e.Keys.Values.Contains(text.Trim(), StringComparer.Ordinal));
        if (exact is not null || found.Count == 1)
        {
            return EntityReference.ById((exact ?? found[0]).Id);
        }

        choices(found);
        return null;
    }

    /// <summary>The suggestions partial's model.</summary>
    public sealed record ChoicesModel(string Kind, IReadOnlyList<ExplainedEntity> Choices, IndexModel Page);
}
