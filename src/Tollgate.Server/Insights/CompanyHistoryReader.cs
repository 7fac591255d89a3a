using Dapper;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Insights;

/// <summary>Reads the counters a batch of companies' signals need, in one query along <c>usage_counters</c>' primary key.</summary>
internal static class CompanyHistoryReader
{
    public static async Task<Dictionary<string, CompanyHistory>> ReadAsync(
        Database database, string environmentId, IReadOnlyCollection<string> companyIds, DateTimeOffset now, InsightOptions options, CancellationToken cancellationToken)
    {
        var histories = new Dictionary<string, CompanyHistory>(StringComparer.Ordinal);
        if (companyIds.Count == 0)
        {
            return histories;
        }

        // Days back far enough for two trend windows and the recent days; ended periods for overage and under-use.
        var periods = Math.Max(options.OveragePeriods, options.UnderUsePeriods) + 2;
        var dayFrom = now.AddDays(-Math.Max(2 * options.TrendDays, options.RecentDays + 31) - 2).ToUnixTimeMilliseconds();
        var weekFrom = now.AddDays(-7 * periods).ToUnixTimeMilliseconds();
        var monthFrom = now.AddDays(-32 * periods).ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string CompanyId, string Subtype, long Period, long Bucket, long Value)>(new CommandDefinition(
            $"""
            SELECT company_id, event_subtype, period, bucket, value FROM {database.Dialect.CountersByCompany}
            WHERE environment_id = @environmentId AND {database.Dialect.IsAnyOf("company_id", "ids")}
                AND (bucket = 0 OR (period = 1 AND bucket > @dayFrom) OR (period = 2 AND bucket > @weekFrom) OR (period IN (3, 4) AND bucket > @monthFrom))
            """,
            new { environmentId, ids = companyIds.ToArray(), dayFrom, weekFrom, monthFrom },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var row in rows)
        {
            if (!histories.TryGetValue(row.CompanyId, out var history))
            {
                histories[row.CompanyId] = history = new CompanyHistory();
            }

            history.Add(row.Subtype, (UsagePeriod)row.Period, row.Bucket, row.Value);
        }

        return histories;
    }
}
