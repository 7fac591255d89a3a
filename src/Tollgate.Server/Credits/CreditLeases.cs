using System.Data.Common;
using Dapper;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>
/// Credit leases (the Node SDK's client mode): a hold a client draws usage against and tops up. Acquire and extend
/// grant what the balance allows, up to the amount asked; usage tracked on the lease is burnt when it is released or
/// expires, and the rest returns.
/// </summary>
internal sealed class CreditLeases(Database database, ChangeFeed changes, CreditReservations reservations, BalanceGate gate, TimeProvider time)
{
    private const string Kind = "lease";

    /// <summary>Holds up to <paramref name="requested"/> credits; null when the balance allows none.</summary>
    public async Task<ReservationRow?> AcquireAsync(
        string environmentId, string companyId, string creditTypeId, double requested, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var expiry = reservations.ExpiryOf(expiresAt, "expires_at");
        var key = new BalanceKey(environmentId, companyId, creditTypeId);
        using var turn = await gate.EnterAsync(key, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var lease = await database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await CreditBook.LockAsync(connection, transaction, key, now).ConfigureAwait(false);
                var granted = Math.Min(requested, Math.Max(0, CreditBook.Available(row)));
                var id = Ids.New("crls");
                if (granted <= 0 || !await CreditBook.HoldAsync(connection, transaction, key, granted, id, now).ConfigureAwait(false))
                {
                    return null;
                }

                var at = now.ToUnixTimeMilliseconds();
                await connection.ExecuteAsync(
                    """
                    INSERT INTO credit_reservations (environment_id, id, company_id, credit_type_id, kind, amount, settled_amount, status, idempotency_key, feature_id,
                        quantity, consumption_rate, event_subtype, expires_at, released_at, created_at, updated_at)
                    VALUES (@environmentId, @id, @companyId, @creditTypeId, 'lease', @granted, 0, 'open', NULL, NULL, NULL, NULL, NULL, @expiresAt, NULL, @at, @at)
                    """,
                    new { environmentId, id, companyId, creditTypeId, granted, expiresAt = expiry.ToUnixTimeMilliseconds(), at },
                    transaction).ConfigureAwait(false);
                return await CreditReservations.FindAsync(connection, transaction, environmentId, id, Kind).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(environmentId, ChangeKind.Credits, [companyId])).ConfigureAwait(false);
        return lease;
    }

    /// <summary>Holds up to <paramref name="additional"/> more credits on an open lease, and moves its expiry; a repeated idempotency key changes nothing.</summary>
    public async Task<ReservationRow> ExtendAsync(
        string environmentId, string leaseId, double additional, DateTimeOffset? expiresAt, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var expiry = expiresAt is null ? (DateTimeOffset?)null : reservations.ExpiryOf(expiresAt, "expires_at");
        var now = time.GetUtcNow();
        var lease = await database.WriteAsync(
            async (connection, transaction) =>
            {
                var current = await LockOpenAsync(connection, transaction, environmentId, leaseId, now).ConfigureAwait(false);
                if (idempotencyKey is not null && await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM credit_ledger WHERE environment_id = @environmentId AND reservation_id = @leaseId AND source_ref = @idempotencyKey",
                    new { environmentId, leaseId, idempotencyKey },
                    transaction).ConfigureAwait(false) > 0)
                {
                    return current;
                }

                var key = new BalanceKey(environmentId, current.CompanyId, current.CreditTypeId);
                var granted = Math.Min(additional, Math.Max(0, CreditBook.Available(await CreditBook.ReadAsync(connection, transaction, key).ConfigureAwait(false))));
                if (granted > 0 && !await CreditBook.HoldAsync(connection, transaction, key, granted, leaseId, now, idempotencyKey).ConfigureAwait(false))
                {
                    granted = 0;
                }

                await connection.ExecuteAsync(
                    """
                    UPDATE credit_reservations SET amount = amount + @granted, expires_at = COALESCE(@expiresAt, expires_at), updated_at = @at
                    WHERE environment_id = @environmentId AND id = @leaseId
                    """,
                    new { environmentId, leaseId, granted, expiresAt = expiry?.ToUnixTimeMilliseconds(), at = now.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                return (await CreditReservations.FindAsync(connection, transaction, environmentId, leaseId, Kind).ConfigureAwait(false))!;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(environmentId, ChangeKind.Credits, [lease.CompanyId])).ConfigureAwait(false);
        return lease;
    }

    /// <summary>Ends an open lease: what was tracked on it is burnt, the rest returns.</summary>
    public async Task<ReservationRow> ReleaseAsync(string environmentId, string leaseId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = await database.WriteAsync(
            async (connection, transaction) =>
            {
                var current = await LockOpenAsync(connection, transaction, environmentId, leaseId, now).ConfigureAwait(false);
                var at = now.ToUnixTimeMilliseconds();
                await connection.ExecuteAsync(
                    "UPDATE credit_reservations SET status = 'released', released_at = @at, updated_at = @at WHERE environment_id = @environmentId AND id = @leaseId",
                    new { environmentId, leaseId, at },
                    transaction).ConfigureAwait(false);
                var key = new BalanceKey(environmentId, current.CompanyId, current.CreditTypeId);
                await CreditBook.EndHoldAsync(connection, transaction, key, current.Amount, current.SettledAmount, leaseId, "release", "released", now).ConfigureAwait(false);
                return (await CreditReservations.FindAsync(connection, transaction, environmentId, leaseId, Kind).ConfigureAwait(false))!;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(environmentId, ChangeKind.Credits, [lease.CompanyId])).ConfigureAwait(false);
        return lease;
    }

    /// <summary>
    /// Records usage against an open lease inside the caller's transaction (usage ingestion, for a tracked event that
    /// names the lease): it is burnt when the lease ends; what exceeds the lease is burnt at once. Answers false when
    /// the lease is not open (then nothing is recorded).
    /// </summary>
    public static async Task<bool> TrackAsync(
        DbConnection connection, DbTransaction transaction, string environmentId, string leaseId, double amount, string? sourceRef, DateTimeOffset now)
    {
        var lease = await CreditReservations.FindAsync(connection, transaction, environmentId, leaseId, Kind).ConfigureAwait(false);
        if (lease is null)
        {
            return false;
        }

        var key = new BalanceKey(environmentId, lease.CompanyId, lease.CreditTypeId);
        await CreditBook.LockAsync(connection, transaction, key, now).ConfigureAwait(false);
        lease = await CreditReservations.FindAsync(connection, transaction, environmentId, leaseId, Kind).ConfigureAwait(false);
        if (lease is not { Status: "open" })
        {
            return false;
        }

        var within = Math.Min(amount, lease.Amount - lease.SettledAmount);
        await connection.ExecuteAsync(
            "UPDATE credit_reservations SET settled_amount = settled_amount + @within, updated_at = @at WHERE environment_id = @environmentId AND id = @leaseId",
            new { environmentId, leaseId, within, at = now.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        if (amount > within)
        {
            await CreditBook.ConsumeAsync(connection, transaction, key, amount - within, "track", sourceRef, strict: false, now).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The lease, or null when the environment has none of that id.</summary>
    public async Task<ReservationRow?> FindAsync(string environmentId, string leaseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await CreditReservations.FindAsync(connection, null, environmentId, leaseId, Kind).ConfigureAwait(false);
    }

    public async Task<ReservationRow> GetAsync(string environmentId, string leaseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await CreditReservations.FindAsync(connection, null, environmentId, leaseId, Kind).ConfigureAwait(false) ?? throw NotFound();
    }

    private static async Task<ReservationRow> LockOpenAsync(DbConnection connection, DbTransaction transaction, string environmentId, string leaseId, DateTimeOffset now)
    {
        var before = await CreditReservations.FindAsync(connection, transaction, environmentId, leaseId, Kind).ConfigureAwait(false) ?? throw NotFound();
        await CreditBook.LockAsync(connection, transaction, new BalanceKey(environmentId, before.CompanyId, before.CreditTypeId), now).ConfigureAwait(false);
        var current = await CreditReservations.FindAsync(connection, transaction, environmentId, leaseId, Kind).ConfigureAwait(false) ?? throw NotFound();
        if (current.Status != "open")
        {
            Errors.Conflict("lease", $"is already {current.Status}");
        }

        return current;
    }

    private static RequestException NotFound() => new(StatusCodes.Status404NotFound, "lease not found");
}
