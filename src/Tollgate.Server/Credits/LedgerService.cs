using Dapper;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>
/// The credit ledger: every movement of every balance. Before answering, movements that have come due (grants past
/// their expiry, holds past theirs) are written, so the ledger read sums to the balances read.
/// </summary>
internal sealed class LedgerService(ResourceStore store, ChangeFeed changes, TimeProvider time)
{
    public async Task<IReadOnlyList<LedgerEntryResponse>> ListAsync(RequestScope scope, LedgerFilter filter, Paging paging, CancellationToken cancellationToken)
    {
        await SettleDueAsync(scope.EnvironmentId, filter.CompanyId, cancellationToken).ConfigureAwait(false);
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            new CommandDefinition(
                $"""
                SELECT seq AS Seq, id AS Id, company_id AS CompanyId, credit_type_id AS CreditTypeId, movement AS Movement, remaining_delta AS RemainingDelta,
                    reserved_delta AS ReservedDelta, grant_id AS GrantId, reservation_id AS ReservationId, reason AS Reason, source_ref AS SourceRef, created_at AS CreatedAt
                FROM credit_ledger
                WHERE {filter.Where}
                ORDER BY seq LIMIT @limit OFFSET @offset
                """,
                filter.Parameters(scope.EnvironmentId, paging),
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<LedgerEntryResponse>();
        foreach (var row in rows)
        {
            if (!names.TryGetValue(row.CreditTypeId, out var name))
            {
                var credit = await store.GetAsync<CreditTypeRecord>(scope.EnvironmentId, CreditKinds.CreditType, row.CreditTypeId, cancellationToken).ConfigureAwait(false);
                names[row.CreditTypeId] = name = credit?.Name ?? row.CreditTypeId;
            }

            result.Add(row.ToResponse(scope.EnvironmentId, name));
        }

        return result;
    }

    public async Task<long> CountAsync(RequestScope scope, LedgerFilter filter, CancellationToken cancellationToken)
    {
        await SettleDueAsync(scope.EnvironmentId, filter.CompanyId, cancellationToken).ConfigureAwait(false);
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(
                $"SELECT COUNT(*) FROM credit_ledger WHERE {filter.Where}",
                filter.Parameters(scope.EnvironmentId, new Paging(1, 0)),
                cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Writes the expiries that are due in the environment (or of one company).</summary>
    private async Task SettleDueAsync(string environmentId, string? companyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        IEnumerable<(string CompanyId, string CreditTypeId)> due;
        // Only a company given becomes a condition, so that SQLite reads the company's grants by their index rather than
        // every grant of the environment (as CreditService's grant filter does).
        var ofCompany = CreditService.NullIfEmpty(companyId) is null ? string.Empty : " AND company_id = @companyId";
        await using (var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            due = await connection.QueryAsync<(string, string)>(
                new CommandDefinition(
                    $"""
                    SELECT company_id, credit_type_id FROM credit_grants
                    WHERE environment_id = @environmentId{ofCompany} AND ended_at IS NULL AND expires_at IS NOT NULL AND expires_at <= @at
                    UNION
                    SELECT company_id, credit_type_id FROM credit_reservations
                    WHERE environment_id = @environmentId{ofCompany} AND status = 'open' AND expires_at <= @at
                    """,
                    new { environmentId, companyId = CreditService.NullIfEmpty(companyId), at = now.ToUnixTimeMilliseconds() },
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        foreach (var (company, creditType) in due)
        {
            await store.Database.WriteAsync(
                async (connection, transaction) =>
                {
                    await CreditBook.LockAsync(connection, transaction, new BalanceKey(environmentId, company, creditType), now).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            await changes.PublishAsync(new Change(environmentId, ChangeKind.Credits, [company])).ConfigureAwait(false);
        }
    }

    private sealed class Row
    {
        public long Seq { get; set; }

        public string Id { get; set; } = string.Empty;

        public string CompanyId { get; set; } = string.Empty;

        public string CreditTypeId { get; set; } = string.Empty;

        public string Movement { get; set; } = string.Empty;

        public double RemainingDelta { get; set; }

        public double ReservedDelta { get; set; }

        public string? GrantId { get; set; }

        public string? ReservationId { get; set; }

        public string? Reason { get; set; }

        public string? SourceRef { get; set; }

        public long CreatedAt { get; set; }

        /// <summary>Schematic's event types are grant, usage and zero_out; holds and their ends are usage with a usage reason.</summary>
        public LedgerEntryResponse ToResponse(string environmentId, string creditName)
        {
            var (eventType, usageReason, zeroedOut) = Movement switch
            {
                "grant" => ("grant", null, null),
                "consume" => ("usage", "track", null),
                "reserve" => ("usage", "reservation_hold", null),
                "release" or "settle" => ("usage", "reservation_release", null),
                _ => ("zero_out", (string?)null, Reason),
            };
            return new LedgerEntryResponse(
                Id, Seq, environmentId, CompanyId, CreditTypeId, creditName, eventType, Movement, RemainingDelta, RemainingDelta, ReservedDelta, GrantId, ReservationId,
                usageReason, zeroedOut, Reason, SourceRef, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
        }
    }
}
