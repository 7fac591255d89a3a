using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>
/// The console's tables: <c>console_users</c>, <c>console_invitations</c>, <c>console_setup_links</c>. Only this area
/// reads or writes them. Tokens are stored as SHA-256 hashes (they are random, so no salt or slow hash is needed).
/// </summary>
public sealed class ConsoleUserStore(Database database)
{
    private const string UserColumns =
        "id, email, name, role, password_hash, oidc_subject, security_stamp, failed_sign_ins, locked_until, created_at, updated_at, last_sign_in_at, disabled_at";

    private const string InvitationColumns = "id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at";

    /// <summary>The hash under which a link token is stored and looked up.</summary>
    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Emails are unique regardless of case.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>The user with this id, or null.</summary>
    public async Task<ConsoleUser?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, "id = @value", id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user with this email (any case), or null.</summary>
    public async Task<ConsoleUser?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, "email = @value", NormalizeEmail(email), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user linked to this OpenID Connect subject, or null.</summary>
    public async Task<ConsoleUser?> FindBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, "oidc_subject = @value", subject, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user with this id, read inside a write, or null.</summary>
    public static Task<ConsoleUser?> FindAsync(DbConnection connection, DbTransaction? transaction, string id) =>
        FindAsync(connection, transaction, "id = @value", id, CancellationToken.None);

    /// <summary>Every user, active first, then by name.</summary>
    public async Task<IReadOnlyList<ConsoleUser>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM console_users ORDER BY CASE WHEN disabled_at IS NULL THEN 0 ELSE 1 END, name, email",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToUser())];
    }

    /// <summary>How many owners can still sign in, read inside a write.</summary>
    public static async Task<long> CountActiveOwnersAsync(DbConnection connection, DbTransaction transaction) =>
        await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM console_users WHERE role = 'owner' AND disabled_at IS NULL", transaction: transaction).ConfigureAwait(false);

    /// <summary>Whether the console has any user at all (before the first owner it has none).</summary>
    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM console_users", cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    /// <summary>Inserts a user.</summary>
    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, ConsoleUser user) =>
        connection.ExecuteAsync(
            $"INSERT INTO console_users ({UserColumns}) VALUES (@Id, @Email, @Name, @Role, @PasswordHash, @OidcSubject, @SecurityStamp, @FailedSignIns, @LockedUntil, @CreatedAt, @UpdatedAt, @LastSignInAt, @DisabledAt)",
            Parameters(user), transaction);

    /// <summary>Writes every field of a user.</summary>
    public static Task UpdateAsync(DbConnection connection, DbTransaction transaction, ConsoleUser user) =>
        connection.ExecuteAsync(
            """
            UPDATE console_users SET email = @Email, name = @Name, role = @Role, password_hash = @PasswordHash, oidc_subject = @OidcSubject,
                security_stamp = @SecurityStamp, failed_sign_ins = @FailedSignIns, locked_until = @LockedUntil, updated_at = @UpdatedAt,
                last_sign_in_at = @LastSignInAt, disabled_at = @DisabledAt
            WHERE id = @Id
            """,
            Parameters(user), transaction);

    /// <summary>Records a sign-in attempt's outcome without touching anything else (no audit entry: not a change of data).</summary>
    public async Task RecordSignInAsync(string id, int failedSignIns, DateTimeOffset? lockedUntil, DateTimeOffset? signedInAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE console_users SET failed_sign_ins = @failedSignIns, locked_until = @locked, last_sign_in_at = COALESCE(@signedIn, last_sign_in_at) WHERE id = @id",
            new { id, failedSignIns, locked = lockedUntil?.ToUnixTimeMilliseconds(), signedIn = signedInAt?.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Inserts an invitation under the hash of its token.</summary>
    public static Task InsertInvitationAsync(DbConnection connection, DbTransaction transaction, ConsoleInvitation invitation, string tokenHash) =>
        connection.ExecuteAsync(
            $"INSERT INTO console_invitations (token_hash, {InvitationColumns}) VALUES (@tokenHash, @Id, @Email, @Role, @InvitedBy, @CreatedAt, @ExpiresAt, NULL, NULL)",
            new
            {
                tokenHash,
                invitation.Id,
                invitation.Email,
                Role = ConsoleRights.Name(invitation.Role),
                invitation.InvitedBy,
                CreatedAt = invitation.CreatedAt.ToUnixTimeMilliseconds(),
                ExpiresAt = invitation.ExpiresAt.ToUnixTimeMilliseconds(),
            },
            transaction);

    /// <summary>The invitation of a link token, or null.</summary>
    public async Task<ConsoleInvitation?> FindInvitationByTokenAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindInvitationByTokenAsync(connection, null, token).ConfigureAwait(false);
    }

    /// <summary>The invitation of a link token, read inside a write, or null.</summary>
    public static async Task<ConsoleInvitation?> FindInvitationByTokenAsync(DbConnection connection, DbTransaction? transaction, string token) =>
        (await connection.QuerySingleOrDefaultAsync<InvitationRow>(
            $"SELECT {InvitationColumns} FROM console_invitations WHERE token_hash = @hash", new { hash = HashToken(token) }, transaction).ConfigureAwait(false))?.ToInvitation();

    /// <summary>Invitations not yet accepted or revoked, newest first (expired ones included: the page says so).</summary>
    public async Task<IReadOnlyList<ConsoleInvitation>> ListPendingInvitationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<InvitationRow>(new CommandDefinition(
            $"SELECT {InvitationColumns} FROM console_invitations WHERE accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at DESC",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToInvitation())];
    }

    /// <summary>The invitation with this id, read inside a write, or null.</summary>
    public static async Task<ConsoleInvitation?> FindInvitationAsync(DbConnection connection, DbTransaction transaction, string id) =>
        (await connection.QuerySingleOrDefaultAsync<InvitationRow>(
            $"SELECT {InvitationColumns} FROM console_invitations WHERE id = @id", new { id }, transaction).ConfigureAwait(false))?.ToInvitation();

    /// <summary>Marks an open invitation accepted or revoked; false when it was no longer open (a concurrent use).</summary>
    public static async Task<bool> CloseInvitationAsync(DbConnection connection, DbTransaction transaction, string id, DateTimeOffset at, bool accepted) =>
        await connection.ExecuteAsync(
            accepted
                ? "UPDATE console_invitations SET accepted_at = @at WHERE id = @id AND accepted_at IS NULL AND revoked_at IS NULL"
                : "UPDATE console_invitations SET revoked_at = @at WHERE id = @id AND accepted_at IS NULL AND revoked_at IS NULL",
            new { id, at = at.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false) == 1;

    /// <summary>Stores a new owner set-up link by the hash of its token.</summary>
    public async Task InsertSetupLinkAsync(string tokenHash, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO console_setup_links (token_hash, created_at, expires_at, used_at) VALUES (@tokenHash, @created, @expires, NULL)",
            new { tokenHash, created = createdAt.ToUnixTimeMilliseconds(), expires = expiresAt.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Whether the set-up link is unused and unexpired at <paramref name="now"/>.</summary>
    public async Task<bool> IsSetupLinkOpenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM console_setup_links WHERE token_hash = @hash AND used_at IS NULL AND expires_at > @now",
            new { hash = HashToken(token), now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    /// <summary>Uses the link (and voids every other): false when it was not open. Runs in the owner-creating transaction.</summary>
    public static async Task<bool> UseSetupLinkAsync(DbConnection connection, DbTransaction transaction, string token, DateTimeOffset now)
    {
        var used = await connection.ExecuteAsync(
            "UPDATE console_setup_links SET used_at = @now WHERE token_hash = @hash AND used_at IS NULL AND expires_at > @now",
            new { hash = HashToken(token), now = now.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE console_setup_links SET used_at = @now WHERE used_at IS NULL", new { now = now.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
        return used == 1;
    }

    private static async Task<ConsoleUser?> FindAsync(DbConnection connection, DbTransaction? transaction, string where, string value, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM console_users WHERE {where}", new { value }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))?.ToUser();

    private static object Parameters(ConsoleUser user) => new
    {
        user.Id,
        user.Email,
        user.Name,
        Role = ConsoleRights.Name(user.Role),
        user.PasswordHash,
        user.OidcSubject,
        user.SecurityStamp,
        user.FailedSignIns,
        LockedUntil = user.LockedUntil?.ToUnixTimeMilliseconds(),
        CreatedAt = user.CreatedAt.ToUnixTimeMilliseconds(),
        UpdatedAt = user.UpdatedAt.ToUnixTimeMilliseconds(),
        LastSignInAt = user.LastSignInAt?.ToUnixTimeMilliseconds(),
        DisabledAt = user.DisabledAt?.ToUnixTimeMilliseconds(),
    };

    private static DateTimeOffset? Time(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

#pragma warning disable IDE1006 // Dapper maps columns to these snake_case names.
    private sealed record UserRow(
        string id, string email, string name, string role, string? password_hash, string? oidc_subject, string security_stamp,
        long failed_sign_ins, long? locked_until, long created_at, long updated_at, long? last_sign_in_at, long? disabled_at)
    {
        public ConsoleUser ToUser() => new(
            id, email, name, ConsoleRights.Parse(role) ?? ConsoleRole.Viewer, password_hash, oidc_subject, security_stamp, (int)failed_sign_ins,
            Time(locked_until), DateTimeOffset.FromUnixTimeMilliseconds(created_at), DateTimeOffset.FromUnixTimeMilliseconds(updated_at),
            Time(last_sign_in_at), Time(disabled_at));
    }

    private sealed record InvitationRow(
        string id, string email, string role, string invited_by, long created_at, long expires_at, long? accepted_at, long? revoked_at)
    {
        public ConsoleInvitation ToInvitation() => new(
            id, email, ConsoleRights.Parse(role) ?? ConsoleRole.Viewer, invited_by, DateTimeOffset.FromUnixTimeMilliseconds(created_at),
            DateTimeOffset.FromUnixTimeMilliseconds(expires_at), Time(accepted_at), Time(revoked_at));
    }
#pragma warning restore IDE1006
}
