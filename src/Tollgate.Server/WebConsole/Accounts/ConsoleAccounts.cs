using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>
/// The console's accounts: the first owner from a one-time set-up link, password sign-in with lockout, invitations by
/// link, roles, disabling. Passwords are hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>.
/// Every change is written to the audit log under the acting user, in the change's own transaction; team changes are
/// installation-wide, so their entries carry the environment id <see cref="AuditEnvironment"/>.
/// </summary>
public sealed class ConsoleAccounts(
    Database database,
    ConsoleUserStore store,
    AuditLog audit,
    TimeProvider time,
    IOptions<ConsoleOptions> options)
{
    /// <summary>The environment id of audit entries about the console's team (users belong to no environment).</summary>
    public const string AuditEnvironment = "console";

    private const string UserResource = "console_user";
    private const string InvitationResource = "console_invitation";

    private static readonly PasswordHasher<ConsoleUser> Hasher = new();

    // Hashed against when the email is unknown, so a wrong email takes as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(null!, "tollgate-no-such-user");

    private ConsoleOptions Settings => options.Value;

    /// <summary>A new one-time link token for creating the owner; null when the console already has users.</summary>
    public async Task<string?> CreateSetupLinkAsync(CancellationToken cancellationToken)
    {
        if (await store.AnyUserAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var token = Ids.Secret(40);
        var now = time.GetUtcNow();
        await store.InsertSetupLinkAsync(ConsoleUserStore.HashToken(token), now, now + Settings.SetupLinkLifetime, cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>Whether a set-up link can still create the owner.</summary>
    public async Task<bool> IsSetupLinkOpenAsync(string token, CancellationToken cancellationToken) =>
        !await store.AnyUserAsync(cancellationToken).ConfigureAwait(false)
        && await store.IsSetupLinkOpenAsync(token, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

    /// <summary>Creates the first owner with the set-up link; the link (and every other) is used up.</summary>
    public async Task<ConsoleUser> CreateOwnerAsync(string token, string email, string name, string password, CancellationToken cancellationToken)
    {
        var user = NewUser(email, name, password, ConsoleRole.Owner);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM console_users", transaction: transaction).ConfigureAwait(false) > 0
                    || !await ConsoleUserStore.UseSetupLinkAsync(connection, transaction, token, time.GetUtcNow()).ConfigureAwait(false))
                {
                    Errors.BadRequest("token", "this set-up link was used or has expired; restart the server for a new one, or sign in");
                }

                await ConsoleUserStore.InsertAsync(connection, transaction, user).ConfigureAwait(false);
                await RecordAsync(connection, transaction, user, "create", UserResource, user.Id, null, ConsoleUserAudit.Of(user)).ConfigureAwait(false);
                return user;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks an email and password, counting wrong passwords towards a lockout.</summary>
    public async Task<SignInOutcome> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var user = string.IsNullOrWhiteSpace(email) ? null : await store.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        if (user?.PasswordHash is not { } hash)
        {
            Hasher.VerifyHashedPassword(null!, DummyHash, password ?? string.Empty);
            return new SignInOutcome(SignInStatus.Invalid);
        }

        var now = time.GetUtcNow();
        if (!user.IsActive)
        {
            return new SignInOutcome(SignInStatus.Disabled);
        }

        if (user.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            return new SignInOutcome(SignInStatus.LockedOut, LockedUntil: lockedUntil);
        }

        if (Hasher.VerifyHashedPassword(user, hash, password ?? string.Empty) == PasswordVerificationResult.Failed)
        {
            var failed = user.FailedSignIns + 1;
            DateTimeOffset? lockUntil = failed >= Settings.LockoutThreshold ? now + Settings.LockoutDuration : null;
            await store.RecordSignInAsync(user.Id, lockUntil is null ? failed : 0, lockUntil, null, cancellationToken).ConfigureAwait(false);
            return lockUntil is { } until ? new SignInOutcome(SignInStatus.LockedOut, LockedUntil: until) : new SignInOutcome(SignInStatus.Invalid);
        }

        await store.RecordSignInAsync(user.Id, 0, null, now, cancellationToken).ConfigureAwait(false);
        return new SignInOutcome(SignInStatus.Succeeded, user);
    }

    /// <summary>Invites <paramref name="email"/> with <paramref name="role"/>; returns the invitation and its link token (shown once).</summary>
    public async Task<(ConsoleInvitation Invitation, string Token)> InviteAsync(ConsoleUser actor, string email, string? role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var granted = GrantableRole(actor, role, "role");
        var address = ValidEmail(email);
        var token = Ids.Secret(40);
        var now = time.GetUtcNow();
        var invitation = new ConsoleInvitation(Ids.New("inv"), address, granted, actor.Id, now, now + Settings.InvitationLifetime, null, null);
        await WriteAsync(
            async (connection, transaction) =>
            {
                if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM console_users WHERE email = @address", new { address }, transaction).ConfigureAwait(false) > 0)
                {
                    Errors.BadRequest("email", "already belongs to a console user");
                }

                await ConsoleUserStore.InsertInvitationAsync(connection, transaction, invitation, ConsoleUserStore.HashToken(token)).ConfigureAwait(false);
                await RecordAsync(connection, transaction, actor, "create", InvitationResource, invitation.Id, null, ConsoleUserAudit.Of(invitation)).ConfigureAwait(false);
                return invitation;
            },
            cancellationToken).ConfigureAwait(false);
        return (invitation, token);
    }

    /// <summary>The open invitation of a link token, or null.</summary>
    public async Task<ConsoleInvitation?> FindOpenInvitationAsync(string token, CancellationToken cancellationToken)
    {
        var invitation = await store.FindInvitationByTokenAsync(token, cancellationToken).ConfigureAwait(false);
        return invitation is not null && invitation.IsOpen(time.GetUtcNow()) ? invitation : null;
    }

    /// <summary>Accepts an invitation: the invited person chooses their name and password and becomes a user.</summary>
    public Task<ConsoleUser> AcceptInvitationAsync(string token, string name, string password, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var invitation = await ConsoleUserStore.FindInvitationByTokenAsync(connection, transaction, token).ConfigureAwait(false);
                var now = time.GetUtcNow();
                if (invitation is null || !invitation.IsOpen(now) || !await ConsoleUserStore.CloseInvitationAsync(connection, transaction, invitation.Id, now, accepted: true).ConfigureAwait(false))
                {
                    Errors.BadRequest("token", "this invitation link was used, revoked or has expired; ask for a new one");
                }

                var user = NewUser(invitation.Email, name, password, invitation.Role);
                await ConsoleUserStore.InsertAsync(connection, transaction, user).ConfigureAwait(false);
                await RecordAsync(connection, transaction, user, "create", UserResource, user.Id, null, ConsoleUserAudit.Of(user)).ConfigureAwait(false);
                return user;
            },
            cancellationToken);

    /// <summary>Revokes an open invitation.</summary>
    public Task RevokeInvitationAsync(ConsoleUser actor, string invitationId, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var invitation = await ConsoleUserStore.FindInvitationAsync(connection, transaction, invitationId).ConfigureAwait(false);
                if (invitation is null || !await ConsoleUserStore.CloseInvitationAsync(connection, transaction, invitationId, time.GetUtcNow(), accepted: false).ConfigureAwait(false))
                {
                    Errors.NotFound("open invitation");
                }

                GrantableRole(actor, ConsoleRights.Name(invitation.Role), "role");
                await RecordAsync(connection, transaction, actor, "delete", InvitationResource, invitationId, ConsoleUserAudit.Of(invitation), null).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>Gives a user another role; an admin cannot touch owners or make one, and the last owner stays an owner.</summary>
    public Task<ConsoleUser> ChangeRoleAsync(ConsoleUser actor, string userId, string? role, CancellationToken cancellationToken) =>
        ChangeUserAsync(actor, userId, user => user with { Role = GrantableRole(actor, role, "role"), SecurityStamp = Ids.Secret(24) }, cancellationToken);

    /// <summary>Disables (signs out everywhere, refuses sign-in) or re-enables a user.</summary>
    public Task<ConsoleUser> SetDisabledAsync(ConsoleUser actor, string userId, bool disabled, CancellationToken cancellationToken) =>
        ChangeUserAsync(
            actor,
            userId,
            user =>
            {
                if (disabled && user.Id == actor.Id)
                {
                    Errors.BadRequest("user", "you cannot disable yourself");
                }

                return user with { DisabledAt = disabled ? time.GetUtcNow() : null, SecurityStamp = Ids.Secret(24), FailedSignIns = 0, LockedUntil = null };
            },
            cancellationToken);

    /// <summary>Changes the signed-in user's own password; every other session of theirs ends.</summary>
    public Task<ConsoleUser> ChangePasswordAsync(ConsoleUser actor, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ChangeUserAsync(
            actor,
            actor.Id,
            user =>
            {
                if (user.PasswordHash is null || Hasher.VerifyHashedPassword(user, user.PasswordHash, currentPassword ?? string.Empty) == PasswordVerificationResult.Failed)
                {
                    Errors.BadRequest("current_password", "is not your current password");
                }

                ValidPassword(newPassword, user.Email);
                return user with { PasswordHash = Hasher.HashPassword(user, newPassword), SecurityStamp = Ids.Secret(24) };
            },
            cancellationToken);
    }

    /// <summary>
    /// The console user an OpenID Connect sign-in stands for: the user already linked to <paramref name="subject"/>, else
    /// the active user with that (verified) email, now linked, else one created from an open invitation for that email.
    /// Null when the person was never invited: an identity provider alone does not grant access.
    /// </summary>
    public async Task<ConsoleUser?> ResolveExternalSignInAsync(string subject, string? email, string? name, CancellationToken cancellationToken)
    {
        if (await store.FindBySubjectAsync(subject, cancellationToken).ConfigureAwait(false) is { } linked)
        {
            return linked.IsActive ? linked : null;
        }

        if (email is not { Length: > 0 })
        {
            return null;
        }

        var address = ConsoleUserStore.NormalizeEmail(email);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                var now = time.GetUtcNow();
                var existing = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT id FROM console_users WHERE email = @address", new { address }, transaction).ConfigureAwait(false);
                if (existing is not null)
                {
                    var user = (await ConsoleUserStore.FindAsync(connection, transaction, existing).ConfigureAwait(false))!;
                    if (!user.IsActive || user.OidcSubject is not null)
                    {
                        return null;
                    }

                    var updated = user with { OidcSubject = subject, UpdatedAt = now, LastSignInAt = now };
                    await ConsoleUserStore.UpdateAsync(connection, transaction, updated).ConfigureAwait(false);
                    await RecordAsync(connection, transaction, updated, "update", UserResource, user.Id, ConsoleUserAudit.Of(user), ConsoleUserAudit.Of(updated)).ConfigureAwait(false);
                    return updated;
                }

                var invitationId = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT id FROM console_invitations WHERE email = @address AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > @now ORDER BY created_at DESC LIMIT 1",
                    new { address, now = now.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                if (invitationId is null)
                {
                    return null;
                }

                var invitation = (await ConsoleUserStore.FindInvitationAsync(connection, transaction, invitationId).ConfigureAwait(false))!;
                await ConsoleUserStore.CloseInvitationAsync(connection, transaction, invitationId, now, accepted: true).ConfigureAwait(false);
                var created = new ConsoleUser(
                    Ids.New("cusr"), address, string.IsNullOrWhiteSpace(name) ? address : name.Trim(), invitation.Role, null, subject, Ids.Secret(24), 0, null, now, now, now, null);
                await ConsoleUserStore.InsertAsync(connection, transaction, created).ConfigureAwait(false);
                await RecordAsync(connection, transaction, created, "create", UserResource, created.Id, null, ConsoleUserAudit.Of(created)).ConfigureAwait(false);
                return created;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<ConsoleUser> ChangeUserAsync(ConsoleUser actor, string userId, Func<ConsoleUser, ConsoleUser> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                var user = await ConsoleUserStore.FindAsync(connection, transaction, userId).ConfigureAwait(false);
                if (user is null)
                {
                    Errors.NotFound("console user");
                }

                if (user.Id != actor.Id && user.Role == ConsoleRole.Owner && actor.Role != ConsoleRole.Owner)
                {
                    throw new RequestException(StatusCodes.Status403Forbidden, "role: only an owner may change an owner");
                }

                var updated = change(user) with { UpdatedAt = time.GetUtcNow() };
                await ConsoleUserStore.UpdateAsync(connection, transaction, updated).ConfigureAwait(false);

                // Checked after the write, in its transaction: concurrent demotions cannot both pass.
                if (user.Role == ConsoleRole.Owner && await ConsoleUserStore.CountActiveOwnersAsync(connection, transaction).ConfigureAwait(false) == 0)
                {
                    Errors.BadRequest("role", "the console needs at least one active owner; make someone else owner first");
                }

                await RecordAsync(connection, transaction, actor, "update", UserResource, user.Id, ConsoleUserAudit.Of(user), ConsoleUserAudit.Of(updated)).ConfigureAwait(false);
                return updated;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private ConsoleUser NewUser(string email, string name, string password, ConsoleRole role)
    {
        var address = ValidEmail(email);
        var trimmed = (name ?? string.Empty).Trim();
        if (trimmed.Length is 0 or > 100)
        {
            Errors.BadRequest("name", "must be 1 to 100 characters");
        }

        ValidPassword(password, address);
        var now = time.GetUtcNow();
        var user = new ConsoleUser(Ids.New("cusr"), address, trimmed, role, null, null, Ids.Secret(24), 0, null, now, now, null, null);
        return user with { PasswordHash = Hasher.HashPassword(user, password) };
    }

    private static ConsoleRole GrantableRole(ConsoleUser actor, string? role, string field)
    {
        var parsed = ConsoleRights.Parse(role);
        if (parsed is not { } granted)
        {
            Errors.BadRequest(field, "must be one of owner, admin, editor, support, viewer");
            return default;
        }

        if (granted == ConsoleRole.Owner && actor.Role != ConsoleRole.Owner)
        {
            throw new RequestException(StatusCodes.Status403Forbidden, $"{field}: only an owner may make an owner");
        }

        return granted;
    }

    private static string ValidEmail(string? email)
    {
        var address = ConsoleUserStore.NormalizeEmail(email ?? string.Empty);
        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (address.Length is 0 or > 254 || at <= 0 || at == address.Length - 1 || address.Contains(' ', StringComparison.Ordinal))
        {
            Errors.BadRequest("email", "must be an email address like name@example.com");
        }

        return address;
    }

    private static void ValidPassword(string? password, string email)
    {
        if (password is null || password.Length < ConsoleOptions.MinimumPasswordLength)
        {
            Errors.BadRequest("password", $"must be at least {ConsoleOptions.MinimumPasswordLength} characters");
        }

        if (password.Length > 1024)
        {
            Errors.BadRequest("password", "must be at most 1024 characters");
        }

        if (password.Distinct().Count() < 4 || string.Equals(password, email, StringComparison.OrdinalIgnoreCase))
        {
            Errors.BadRequest("password", "is too easy to guess; use a longer phrase of several words");
        }
    }

    private Task RecordAsync(DbConnection connection, DbTransaction transaction, ConsoleUser actor, string action, string resourceType, string resourceId, ConsoleUserAudit? before, ConsoleUserAudit? after) =>
        audit.RecordAsync(connection, transaction, ScopeOf(actor), AuditEnvironment, action, resourceType, resourceId, null, before, after);

    private static RequestScope ScopeOf(ConsoleUser user) => new(AuditEnvironment, null, ApiKeyKind.Secret, new ActingUser(user.Id, user.Name));

    private Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        database.WriteAsync(work, cancellationToken);
}
