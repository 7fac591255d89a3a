using System.Data.Common;
using Dapper;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>
/// Reservations: credits held for a while (<see cref="HoldAsync"/>), then settled (the used part burnt, the rest
/// returned), released, or — unsettled past their expiry — returned by themselves.
/// </summary>
internal sealed class CreditReservations(Database database, ChangeFeed changes, BalanceGate gate, TimeProvider time)
{
    private const string Kind = "reservation";

    /// <summary>How long a hold lasts when the request names no expiry.</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMinutes(5);

    /// <summary>The longest hold accepted.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromDays(30);

    /// <summary>The expiry of a new hold: the requested one (in the future, within <see cref="MaxHold"/>) or the default.</summary>
    public DateTimeOffset ExpiryOf(DateTimeOffset? requested, string field)
    {
        var now = time.GetUtcNow();
        if (requested is not { } at)
        {
            return now + DefaultHold;
        }

        if (at <= now || at > now + MaxHold)
        {
            Errors.BadRequest(field, $"must be in the future and at most {MaxHold.TotalDays:0} days away");
        }

        return at.ToUniversalTime();
    }

    /// <summary>
    /// Holds <paramref name="amount"/> credits if the balance (plus any overdraft) allows it, atomically; null if it does
    /// not. With an idempotency key already used, answers that reservation and holds nothing more.
    /// </summary>
    public async Task<ReservationRow?> HoldAsync(
        string environmentId, string companyId, string creditTypeId, double amount, DateTimeOffset expiresAt, string? idempotencyKey, ReservationDetails? details,
        CancellationToken cancellationToken)
    {
        var key = new BalanceKey(environmentId, companyId, creditTypeId);
        using var turn = await gate.EnterAsync(key, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var row = await database.WriteAsync(
            async (connection, transaction) =>
            {
                await CreditBook.LockAsync(connection, transaction, key, now).ConfigureAwait(false);
                if (idempotencyKey is not null && await FindByKeyAsync(connection, transaction, environmentId, idempotencyKey).ConfigureAwait(false) is { } replay)
                {
                    if (replay.CompanyId != companyId || replay.CreditTypeId != creditTypeId)
                    {
                        Errors.Conflict("idempotency_key", "was already used for a reservation of another company or credit");
                    }

                    return replay;
                }

                var id = Ids.New("crsv");
                if (!await CreditBook.HoldAsync(connection, transaction, key, amount, id, now).ConfigureAwait(false))
                {
                    return null;
                }

                var at = now.ToUnixTimeMilliseconds();
                await connection.ExecuteAsync(
                    """
                    INSERT INTO credit_reservations (environment_id, id, company_id, credit_type_id, kind, amount, settled_amount, status, idempotency_key, feature_id,
                        quantity, consumption_rate, event_subtype, expires_at, released_at, created_at, updated_at)
                    VALUES (@environmentId, @id, @companyId, @creditTypeId, 'reservation', @amount, 0, 'open', @idempotencyKey, @featureId,
                        @quantity, @rate, @eventSubtype, @expiresAt, NULL, @at, @at)
                    """,
                    new
                    {
                        environmentId, id, companyId, creditTypeId, amount, idempotencyKey, featureId = details?.FeatureId, quantity = details?.Quantity,
                        rate = details?.ConsumptionRate, eventSubtype = details?.EventSubtype, expiresAt = expiresAt.ToUnixTimeMilliseconds(), at,
                    },
                    transaction).ConfigureAwait(false);
                return await FindAsync(connection, transaction, environmentId, id, Kind).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(environmentId, ChangeKind.Credits, [companyId])).ConfigureAwait(false);
        return row;
    }

    public async Task<ReservationRow> GetAsync(string environmentId, string reservationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, environmentId, reservationId, Kind).ConfigureAwait(false) ?? throw NotFound();
    }

    /// <summary>The reservation made with an idempotency key, or null.</summary>
    public async Task<ReservationRow?> FindByKeyAsync(string environmentId, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindByKeyAsync(connection, null, environmentId, idempotencyKey).ConfigureAwait(false);
    }

    /// <summary>Returns every held credit.</summary>
    public Task<ReservationRow> ReleaseAsync(string environmentId, string reservationId, CancellationToken cancellationToken) =>
        EndAsync(environmentId, reservationId, null, cancellationToken);

    /// <summary>Burns <paramref name="used"/> of the held credits and returns the rest.</summary>
    public Task<ReservationRow> SettleAsync(string environmentId, string reservationId, double used, CancellationToken cancellationToken) =>
        EndAsync(environmentId, reservationId, used, cancellationToken);

    private async Task<ReservationRow> EndAsync(string environmentId, string reservationId, double? used, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = await database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = await FindAsync(connection, transaction, environmentId, reservationId, Kind).ConfigureAwait(false) ?? throw NotFound();
                var key = new BalanceKey(environmentId, before.CompanyId, before.CreditTypeId);
                await CreditBook.LockAsync(connection, transaction, key, now).ConfigureAwait(false);
                var current = await FindAsync(connection, transaction, environmentId, reservationId, Kind).ConfigureAwait(false) ?? throw NotFound();
                if (current.Status != "open")
                {
                    Errors.Conflict("reservation", $"is already {current.Status}");
                }

                if (used > current.Amount)
                {
                    Errors.BadRequest("amount", $"must not exceed the reserved amount ({current.Amount})");
                }

                var status = used is null ? "released" : "settled";
                var at = now.ToUnixTimeMilliseconds();
                await connection.ExecuteAsync(
                    """
                    UPDATE credit_reservations SET status = @status, settled_amount = @settled, released_at = @at, updated_at = @at
                    WHERE environment_id = @environmentId AND id = @reservationId
                    """,
                    new { environmentId, reservationId, status, settled = used ?? 0, at },
                    transaction).ConfigureAwait(false);
                await CreditBook.EndHoldAsync(connection, transaction, key, current.Amount, used ?? 0, reservationId, used is null ? "release" : "settle", status, now).ConfigureAwait(false);
                return await FindAsync(connection, transaction, environmentId, reservationId, Kind).ConfigureAwait(false) ?? throw NotFound();
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(environmentId, ChangeKind.Credits, [row.CompanyId])).ConfigureAwait(false);
        return row;
    }

    private static RequestException NotFound() => new(StatusCodes.Status404NotFound, "reservation not found");

    /// <summary>A hold of the kind (<c>reservation</c> or <c>lease</c>) by id, or null.</summary>
    internal static Task<ReservationRow?> FindAsync(DbConnection connection, DbTransaction? transaction, string environmentId, string id, string kind) =>
        connection.QuerySingleOrDefaultAsync<ReservationRow>(
            $"SELECT {ReservationRow.Columns} FROM credit_reservations WHERE environment_id = @environmentId AND id = @id AND kind = @kind",
            new { environmentId, id, kind },
            transaction);

    private static Task<ReservationRow?> FindByKeyAsync(DbConnection connection, DbTransaction? transaction, string environmentId, string idempotencyKey) =>
        connection.QuerySingleOrDefaultAsync<ReservationRow>(
            $"SELECT {ReservationRow.Columns} FROM credit_reservations WHERE environment_id = @environmentId AND idempotency_key = @idempotencyKey AND kind = 'reservation'",
            new { environmentId, idempotencyKey },
            transaction);
}
