using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Access;

/// <summary>The first start's one-time link: whoever holds it creates the owner. There is no default password.</summary>
[ConsoleWrites(ConsoleArea.Public)]
public sealed class SetupModel(ConsoleAccounts accounts) : AccountFormModel
{
    /// <summary>The link's token.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>Whether the link can still be used.</summary>
    public bool IsOpen { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        IsOpen = Token is { Length: > 0 } && await accounts.IsSetupLinkOpenAsync(Token, cancellationToken).ConfigureAwait(false);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        IsOpen = Token is { Length: > 0 } && await accounts.IsSetupLinkOpenAsync(Token, cancellationToken).ConfigureAwait(false);
        if (!IsOpen || !ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        ConsoleUser? owner = null;
        if (!await TryAsync(async () => owner = await accounts.CreateOwnerAsync(Token!, Input.Email, Input.Name, Input.Password, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false))
        {
            return Page();
        }

        await ConsoleAuthentication.SignInAsync(HttpContext, owner!).ConfigureAwait(false);
        return LocalRedirect("/console");
    }
}
