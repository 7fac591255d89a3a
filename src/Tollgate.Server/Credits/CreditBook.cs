using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>
/// The credit movements, each inside the caller's transaction. Every movement first <see cref="LockAsync">locks</see>
/// the one balance row of the company and credit type (creating it if needed) and applies what has come due (expired
/// grants and reservations), so two movements of the same balance run one after the other on either store and on any
/// number of nodes. Each movement writes one ledger row whose deltas are exactly what it did to the balance row.
/// </summary>
internal static class CreditBook
{
    /// <summary>Locks the balance row and settles what is due at <paramref name="now"/>; returns the row as it then is.</summary>
    public static async Task<BalanceRow> LockAsync(DbConnection connection, DbTransaction transaction, BalanceKey key, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(
            """
            INSERT INTO credit_balances (environment_id, company_id, credit_type_id, remaining, reserved, debt, postpaid, overdraft_limit, updated_at)
            VALUES (@EnvironmentId, @CompanyId, @CreditTypeId, 0, 0, 0, 0, NULL, @at)
            ON CONFLICT (environment_id, company_id, credit_type_id) DO NOTHING
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId, at },
            transaction).ConfigureAwait(false);

        // An UPDATE takes PostgreSQL's row lock (SQLite has a single writer anyway); it is held to the commit.
        await connection.ExecuteAsync(
            "UPDATE credit_balances SET updated_at = @at WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId",
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId, at },
            transaction).ConfigureAwait(false);
        await SettleDueAsync(connection, transaction, key, at).ConfigureAwait(false);
        return await ReadAsync(connection, transaction, key).ConfigureAwait(false);
    }

    /// <summary>Adds a grant (already locked): it first pays off any debt, then adds to what remains.</summary>
    public static async Task<string> GrantAsync(DbConnection connection, DbTransaction transaction, BalanceKey key, NewGrant grant, DateTimeOffset now)
    {
        var row = await ReadAsync(connection, transaction, key).ConfigureAwait(false);
        var payOff = Math.Min(row.Debt, grant.Quantity);
        var id = Ids.New("bcgr");
        var at = now.ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(
            """
            INSERT INTO credit_grants (environment_id, id, company_id, credit_type_id, quantity, remaining, reason, plan_id, plan_grant_id, period_start,
                valid_from, expires_at, ended_at, end_reason, note, created_at, updated_at)
            VALUES (@EnvironmentId, @id, @CompanyId, @CreditTypeId, @quantity, @remaining, @reason, @planId, @planGrantId, @periodStart,
                @at, @expiresAt, NULL, NULL, @note, @at, @at)
            """,
            new
            {
                key.EnvironmentId, id, key.CompanyId, key.CreditTypeId, quantity = grant.Quantity, remaining = grant.Quantity - payOff,
                reason = grant.Reason, planId = grant.PlanId, planGrantId = grant.PlanGrantId, periodStart = grant.PeriodStart?.ToUnixTimeMilliseconds(),
                expiresAt = grant.ExpiresAt?.ToUnixTimeMilliseconds(), note = grant.Note, at,
            },
            transaction).ConfigureAwait(false);
        await MoveAsync(connection, transaction, key, grant.Quantity, 0, -payOff, at).ConfigureAwait(false);
        await LedgerAsync(connection, transaction, key, "grant", grant.Quantity, 0, id, null, grant.Reason, grant.SourceRef, at).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// Burns <paramref name="amount"/> (locked): from the grants that expire first, the rest as debt. When
    /// <paramref name="strict"/>, nothing is burnt unless the balance and the overdraft allow all of it.
    /// </summary>
    public static async Task<bool> ConsumeAsync(
        DbConnection connection, DbTransaction transaction, BalanceKey key, double amount, string reason, string? sourceRef, bool strict, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        if (strict && !await TakeAsync(connection, transaction, key, amount, 0, at).ConfigureAwait(false))
        {
            return false;
        }

        if (!strict)
        {
            await MoveAsync(connection, transaction, key, -amount, 0, 0, at).ConfigureAwait(false);
        }

        await BurnGrantsAsync(connection, transaction, key, amount, at).ConfigureAwait(false);
        await LedgerAsync(connection, transaction, key, "consume", -amount, 0, null, null, reason, sourceRef, at).ConfigureAwait(false);
        return true;
    }

    /// <summary>Holds <paramref name="amount"/> (locked) if the balance and the overdraft allow it; answers whether it did.</summary>
    public static async Task<bool> HoldAsync(
        DbConnection connection, DbTransaction transaction, BalanceKey key, double amount, string reservationId, DateTimeOffset now, string? sourceRef = null)
    {
        var at = now.ToUnixTimeMilliseconds();
        if (!await TakeAsync(connection, transaction, key, amount, amount, at).ConfigureAwait(false))
        {
            return false;
        }

        await LedgerAsync(connection, transaction, key, "reserve", -amount, amount, null, reservationId, null, sourceRef, at).ConfigureAwait(false);
        return true;
    }

    /// <summary>Ends a hold of <paramref name="held"/> (locked), burning <paramref name="used"/> of it and returning the rest.</summary>
    public static async Task EndHoldAsync(
        DbConnection connection, DbTransaction transaction, BalanceKey key, double held, double used, string reservationId, string movement, string? reason, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        await MoveAsync(connection, transaction, key, held - used, -held, 0, at).ConfigureAwait(false);
        if (used > 0)
        {
            await BurnGrantsAsync(connection, transaction, key, used, at).ConfigureAwait(false);
        }

        await LedgerAsync(connection, transaction, key, movement, held - used, -held, null, reservationId, reason, null, at).ConfigureAwait(false);
    }

    /// <summary>Ends a live grant (locked) early: what remains of it leaves the balance.</summary>
    public static async Task EndGrantAsync(
        DbConnection connection, DbTransaction transaction, BalanceKey key, string grantId, double remaining, string movement, string endReason, DateTimeOffset at)
    {
        var ms = at.ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(
            "UPDATE credit_grants SET ended_at = @ms, end_reason = @endReason, updated_at = @ms WHERE environment_id = @EnvironmentId AND id = @grantId",
            new { key.EnvironmentId, grantId, endReason, ms },
            transaction).ConfigureAwait(false);
        if (remaining > 0)
        {
            await MoveAsync(connection, transaction, key, -remaining, 0, 0, ms).ConfigureAwait(false);
        }

        await LedgerAsync(connection, transaction, key, movement, -remaining, 0, grantId, null, endReason, null, ms).ConfigureAwait(false);
    }

    /// <summary>Sets whether the balance may go below zero, and how far (null: without limit).</summary>
    public static Task<int> SetPostpaidAsync(DbConnection connection, DbTransaction transaction, BalanceKey key, bool postpaid, double? overdraftLimit) =>
        connection.ExecuteAsync(
            """
            UPDATE credit_balances SET postpaid = @postpaid, overdraft_limit = @overdraftLimit
            WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId, postpaid = postpaid ? 1L : 0L, overdraftLimit },
            transaction);

    /// <summary>
    /// What the balance's live grants gave (their quantities) and the newest of them (the period a credit limit's
    /// notices are counted in; null when none is live), read in the caller's transaction.
    /// </summary>
    public static async Task<(double Granted, string? Newest)> AllotmentAsync(DbConnection connection, DbTransaction transaction, BalanceKey key)
    {
        var granted = await connection.ExecuteScalarAsync<double?>(
            """
            SELECT SUM(quantity) FROM credit_grants
            WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId AND ended_at IS NULL
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId },
            transaction).ConfigureAwait(false);
        var newest = await connection.ExecuteScalarAsync<string?>(
            """
            SELECT id FROM credit_grants
            WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId AND ended_at IS NULL
            ORDER BY created_at DESC, id DESC LIMIT 1
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId },
            transaction).ConfigureAwait(false);
        return (granted ?? 0, newest);
    }

    /// <summary>What a locked balance row lets a hold take: its remaining plus the overdraft (unbounded when postpaid without a limit).</summary>
    public static double Available(BalanceRow row) =>
        row.Postpaid == 1 && row.OverdraftLimit is null ? double.PositiveInfinity : row.Remaining + (row.Postpaid == 1 ? row.OverdraftLimit ?? 0 : 0);

    public static async Task<BalanceRow> ReadAsync(DbConnection connection, DbTransaction? transaction, BalanceKey key) =>
        await connection.QuerySingleAsync<BalanceRow>(
            """
            SELECT credit_type_id AS CreditTypeId, remaining AS Remaining, reserved AS Reserved, debt AS Debt, postpaid AS Postpaid, overdraft_limit AS OverdraftLimit
            FROM credit_balances WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId },
            transaction).ConfigureAwait(false);

    /// <summary>
    /// The atomic step: takes <paramref name="amount"/> from <c>remaining</c> (and adds <paramref name="toReserved"/> to
    /// <c>reserved</c>) only if what remains stays at or above the floor: 0, or minus the overdraft limit when postpaid
    /// (no floor when postpaid without a limit). The condition is in the UPDATE itself, so it holds whatever else runs.
    /// </summary>
    private static async Task<bool> TakeAsync(DbConnection connection, DbTransaction transaction, BalanceKey key, double amount, double toReserved, long at)
    {
        var rows = await connection.ExecuteAsync(
            """
            UPDATE credit_balances SET remaining = remaining - @amount, reserved = reserved + @toReserved, updated_at = @at
            WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId
              AND ((postpaid = 1 AND overdraft_limit IS NULL)
                OR remaining - @amount >= (CASE WHEN postpaid = 1 THEN 0 - overdraft_limit ELSE 0 END))
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId, amount, toReserved, at },
            transaction).ConfigureAwait(false);
        return rows == 1;
    }

    private static Task<int> MoveAsync(DbConnection connection, DbTransaction transaction, BalanceKey key, double remaining, double reserved, double debt, long at) =>
        connection.ExecuteAsync(
            """
            UPDATE credit_balances SET remaining = remaining + @remaining, reserved = reserved + @reserved, debt = debt + @debt, updated_at = @at
            WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId, remaining, reserved, debt, at },
            transaction);

    /// <summary>Takes <paramref name="amount"/> from the live grants, soonest expiry first (then oldest); the shortfall becomes debt.</summary>
    private static async Task BurnGrantsAsync(DbConnection connection, DbTransaction transaction, BalanceKey key, double amount, long at)
    {
        var grants = await connection.QueryAsync<(string Id, double Remaining)>(
            """
            SELECT id, remaining FROM credit_grants
            WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId AND ended_at IS NULL AND remaining > 0
            ORDER BY CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END, expires_at, created_at, id
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId },
            transaction).ConfigureAwait(false);
        var left = amount;
        foreach (var (id, remaining) in grants)
        {
            if (left <= 0)
            {
                break;
            }

            var burn = Math.Min(left, remaining);
            await connection.ExecuteAsync(
                "UPDATE credit_grants SET remaining = remaining - @burn, updated_at = @at WHERE environment_id = @EnvironmentId AND id = @id",
                new { key.EnvironmentId, id, burn, at },
                transaction).ConfigureAwait(false);
            left -= burn;
        }

        if (left > 0)
        {
            await MoveAsync(connection, transaction, key, 0, 0, left, at).ConfigureAwait(false);
        }
    }

    /// <summary>Applies what has come due by <paramref name="at"/>: grants past their expiry leave, expired holds return.</summary>
    private static async Task SettleDueAsync(DbConnection connection, DbTransaction transaction, BalanceKey key, long at)
    {
        var expiredGrants = await connection.QueryAsync<(string Id, double Remaining, long ExpiresAt)>(
            """
            SELECT id, remaining, expires_at FROM credit_grants
            WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId
              AND ended_at IS NULL AND expires_at IS NOT NULL AND expires_at <= @at
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId, at },
            transaction).ConfigureAwait(false);
        foreach (var (id, remaining, expiresAt) in expiredGrants)
        {
            await EndGrantAsync(connection, transaction, key, id, remaining, "expire", "expired", DateTimeOffset.FromUnixTimeMilliseconds(expiresAt)).ConfigureAwait(false);
        }

        var expiredHolds = await connection.QueryAsync<(string Id, double Amount, double Used, long ExpiresAt)>(
            """
            SELECT id, amount, settled_amount, expires_at FROM credit_reservations
            WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId AND status = 'open' AND expires_at <= @at
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId, at },
            transaction).ConfigureAwait(false);
        foreach (var (id, amount, used, expiresAt) in expiredHolds)
        {
            await connection.ExecuteAsync(
                "UPDATE credit_reservations SET status = 'expired', released_at = @expiresAt, updated_at = @at WHERE environment_id = @EnvironmentId AND id = @id",
                new { key.EnvironmentId, id, expiresAt, at },
                transaction).ConfigureAwait(false);
            // An open reservation has used nothing; a lease has used what was tracked on it, which is burnt now.
            await EndHoldAsync(connection, transaction, key, amount, used, id, "release", "expired", DateTimeOffset.FromUnixTimeMilliseconds(at)).ConfigureAwait(false);
        }
    }

    private static Task<int> LedgerAsync(
        DbConnection connection, DbTransaction transaction, BalanceKey key, string movement, double remainingDelta, double reservedDelta,
        string? grantId, string? reservationId, string? reason, string? sourceRef, long at) =>
        connection.ExecuteAsync(
            """
            INSERT INTO credit_ledger (id, environment_id, company_id, credit_type_id, movement, remaining_delta, reserved_delta, grant_id, reservation_id, reason, source_ref, created_at)
            VALUES (@id, @EnvironmentId, @CompanyId, @CreditTypeId, @movement, @remainingDelta, @reservedDelta, @grantId, @reservationId, @reason, @sourceRef, @at)
            """,
            new { id = Ids.New("cle"), key.EnvironmentId, key.CompanyId, key.CreditTypeId, movement, remainingDelta, reservedDelta, grantId, reservationId, reason, sourceRef, at },
            transaction);
}
