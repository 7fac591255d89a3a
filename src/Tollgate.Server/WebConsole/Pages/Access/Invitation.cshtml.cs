using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Access;

/// <summary>An invitation link: the invited person picks a name and password and is signed in with the invited role.</summary>
[ConsoleWrites(ConsoleArea.Public)]
public sealed class InvitationModel(ConsoleAccounts accounts) : AccountFormModel
{
    /// <summary>The link's token.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>The open invitation, or null when the link no longer works.</summary>
    public ConsoleInvitation? Invitation { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Invitation = Token is { Length: > 0 } ? await accounts.FindOpenInvitationAsync(Token, cancellationToken).ConfigureAwait(false) : null;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Invitation = Token is { Length: > 0 } ? await accounts.FindOpenInvitationAsync(Token, cancellationToken).ConfigureAwait(false) : null;
        ModelState.Remove("Input.Email");
        if (Invitation is null || !ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        ConsoleUser? user = null;
        if (!await TryAsync(async () => user = await accounts.AcceptInvitationAsync(Token!, Input.Name, Input.Password, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false))
        {
            return Page();
        }

        await ConsoleAuthentication.SignInAsync(HttpContext, user!).ConfigureAwait(false);
        return LocalRedirect("/console");
    }
}
