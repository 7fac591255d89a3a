using Dapper;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Companies;

/// <summary>
/// Keeps <c>company_directory</c> equal to the companies, their overrides, plans and usage (how: see
/// <see cref="CompanyProjectionRefresher"/>): a row per company with its standing against its limits.
/// </summary>
internal sealed class CompanyDirectoryRefresher(
    ResourceStore store, CompanyDirectoryStore directory, RuntimeRegistry runtimes, EnvironmentStore environments, ChangeFeed changes, TimeProvider time, ILogger<CompanyDirectoryRefresher> logger)
    : CompanyProjectionRefresher(store, environments, changes, time, logger)
{
    private readonly CompanyDirectoryStore _directory = directory;
    private readonly RuntimeRegistry _runtimes = runtimes;
    private readonly TimeProvider _time = time;

    /// <inheritdoc />
    protected override int BatchSize => 500;

    /// <inheritdoc />
    protected override string Projection => "company directory";

    /// <inheritdoc />
    protected override Task DeleteOrphansAsync(string environmentId, CancellationToken cancellationToken) => _directory.DeleteOrphansAsync(environmentId, cancellationToken);

    /// <inheritdoc />
    protected override Task<(long Rows, long Companies)> SizesAsync(string environmentId, CancellationToken cancellationToken) =>
        _directory.SizesAsync(environmentId, cancellationToken);

    /// <inheritdoc />
    protected override Task<IReadOnlyList<(string EnvironmentId, string CompanyId)>> StaleAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        _directory.StaleAsync(now, limit, cancellationToken);

    /// <inheritdoc />
    protected override async Task WriteAsync(
        string environmentId, IReadOnlyList<CompanyRecord> companies, IReadOnlyCollection<string> askedFor, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var catalog = await _runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var ids = companies.Select(c => c.Id).ToList();
        var overrides = (await Store.ListByParentsAsync<CompanyOverrideRecord>(environmentId, ResourceKinds.CompanyOverride, ids, cancellationToken).ConfigureAwait(false))
            .ToLookup(o => o.CompanyId, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var counters = await CountersAsync(environmentId, ids, now, cancellationToken).ConfigureAwait(false);
        var read = _time.GetTimestamp();
        var rows = companies.Select(c =>
        {
            var usage = CompanyUsage.Empty();
            usage.Replace(counters[c.Id]);
            return CompanyStanding.Of(catalog, c, [.. overrides[c.Id]], usage, now);
        }).ToList();
        var gone = askedFor.Except(ids, StringComparer.Ordinal).ToList();
        var computed = _time.GetTimestamp();
        await Store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await CompanyDirectoryStore.TakeTurnAsync(connection, transaction, Store.Database.Dialect, environmentId).ConfigureAwait(false);
                await CompanyDirectoryStore.UpsertAsync(connection, transaction, environmentId, rows, now).ConfigureAwait(false);
                if (gone.Count > 0)
                {
                    await _directory.DeleteAsync(connection, transaction, environmentId, gone).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
        LogBatchPhases(companies.Count, started, read, computed, _time.GetTimestamp());
    }

    /// <summary>The companies' counters of the current periods (and all time), as the check path loads them (<see cref="UsageCounters"/>).</summary>
    private async Task<ILookup<string, (string Subtype, UsagePeriod Period, long Bucket, long Value)>> CountersAsync(
        string environmentId, List<string> companyIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (companyIds.Count == 0)
        {
            return Array.Empty<(string, (string, UsagePeriod, long, long))>().ToLookup(r => r.Item1, r => r.Item2);
        }

        await using var connection = await Store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string CompanyId, string Subtype, long Period, long Bucket, long Value)>(new CommandDefinition(
            $"""
            SELECT company_id, event_subtype, period, bucket, value FROM {Store.Database.Dialect.CountersByCompany}
            WHERE environment_id = @environmentId AND {Store.Database.Dialect.IsAnyOf("company_id", "companyIds")} AND (bucket = 0 OR bucket > @now)
            """,
            new { environmentId, companyIds = companyIds.ToArray(), now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToLookup(r => r.CompanyId, r => (r.Subtype, (UsagePeriod)r.Period, r.Bucket, r.Value), StringComparer.Ordinal);
    }
}
