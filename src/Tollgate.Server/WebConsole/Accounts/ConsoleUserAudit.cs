namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>What the audit log keeps of a console user or invitation: never a password hash, token or security stamp.</summary>
internal sealed record ConsoleUserAudit(string Id, string Email, string Name, string Role, bool Disabled)
{
    public static ConsoleUserAudit Of(ConsoleUser user) => new(user.Id, user.Email, user.Name, ConsoleRights.Name(user.Role), !user.IsActive);

    public static ConsoleUserAudit Of(ConsoleInvitation invitation) => new(invitation.Id, invitation.Email, invitation.Email, ConsoleRights.Name(invitation.Role), invitation.RevokedAt is not null);
}
