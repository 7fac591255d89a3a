using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Team;

/// <summary>The console's people: who has which role, invitations by link, role changes, disabling.</summary>
[ConsoleWrites(ConsoleArea.Team)]
public sealed class IndexModel(ConsoleAccounts accounts, ConsoleUserStore users, TimeProvider time) : ConsolePageModel
{
    private const string NewLinkKey = "console.team.link";

    /// <summary>Every user.</summary>
    public IReadOnlyList<ConsoleUser> Users { get; private set; } = [];

    /// <summary>Invitations neither accepted nor revoked.</summary>
    public IReadOnlyList<ConsoleInvitation> Invitations { get; private set; } = [];

    /// <summary>The link of the invitation just made (shown once).</summary>
    public string? NewLink { get; private set; }

    /// <summary>The invitation form.</summary>
    [BindProperty]
    public InviteInput Invite { get; set; } = new();

    /// <summary>The roles the signed-in user may grant.</summary>
    public IEnumerable<ConsoleRole> GrantableRoles =>
        Enum.GetValues<ConsoleRole>().Where(r => r != ConsoleRole.Owner || Console.User.Role == ConsoleRole.Owner).Reverse();

    /// <summary>The time now, for marking expired invitations.</summary>
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        NewLink = TempData[NewLinkKey] as string;
        await LoadAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            string? token = null;
            if (await TryAsync(async () => token = (await accounts.InviteAsync(Console.User, Invite.Email, Invite.Role, cancellationToken).ConfigureAwait(false)).Token, Fields).ConfigureAwait(false))
            {
                TempData[NewLinkKey] = $"{Request.Scheme}://{Request.Host}/console/invitation?token={Uri.EscapeDataString(token!)}";
                SetFlash($"Invitation for {Invite.Email.Trim()} made. Send them the link below; it works once, for {Invite.Role}.");
                return RedirectToPage();
            }
        }
        else
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    public Task<IActionResult> OnPostRoleAsync(string userId, string role, CancellationToken cancellationToken) =>
        WriteAsync(() => accounts.ChangeRoleAsync(Console.User, userId, role, cancellationToken), "Role changed.", cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string userId, CancellationToken cancellationToken) =>
        WriteAsync(() => accounts.SetDisabledAsync(Console.User, userId, disabled: true, cancellationToken), "User disabled: signed out everywhere and cannot sign in.", cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(string userId, CancellationToken cancellationToken) =>
        WriteAsync(() => accounts.SetDisabledAsync(Console.User, userId, disabled: false, cancellationToken), "User enabled.", cancellationToken);

    public Task<IActionResult> OnPostRevokeAsync(string invitationId, CancellationToken cancellationToken) =>
        WriteAsync(() => accounts.RevokeInvitationAsync(Console.User, invitationId, cancellationToken), "Invitation revoked: its link no longer works.", cancellationToken);

    private async Task<IActionResult> WriteAsync(Func<Task> write, string done, CancellationToken cancellationToken)
    {
        if (await TryAsync(write).ConfigureAwait(false))
        {
            SetFlash(done);
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Users = await users.ListAsync(cancellationToken).ConfigureAwait(false);
        Invitations = await users.ListPendingInvitationsAsync(cancellationToken).ConfigureAwait(false);
    }

    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["email"] = "Invite.Email",
        ["role"] = "Invite.Role",
    };

    /// <summary>The invitation form.</summary>
    public sealed class InviteInput
    {
        /// <summary>Who to invite.</summary>
        [Required(ErrorMessage = "Enter the email of the person to invite.")]
        public string Email { get; set; } = string.Empty;

        /// <summary>The role they get.</summary>
        [Required(ErrorMessage = "Choose a role.")]
        public string Role { get; set; } = "viewer";
    }
}
