using System.Text.Json;
using Dapper;

namespace Tollgate.Reliability.Cases;

/// <summary>What a store's event log holds of the markers the cases send, and whether its counters agree.</summary>
internal sealed record EventLog(IReadOnlyDictionary<string, int> Markers, long AllTimeCounters)
{
    public long Stored => Markers.Values.Sum();

    /// <summary>Reads the log; the counters of one company only when <paramref name="companyId"/> is given.</summary>
    public static async Task<EventLog> ReadAsync(Store store, string? companyId = null)
    {
        await using var connection = await Lab.OpenAsync(store).ConfigureAwait(false);
        var markers = (await connection.QueryAsync<string>("SELECT body FROM events WHERE event_type = 'track'").ConfigureAwait(false))
            .Select(body => JsonDocument.Parse(body).RootElement)
            .Where(body => body.TryGetProperty("traits", out var traits) && traits.TryGetProperty("marker", out _))
            .Select(body => body.GetProperty("traits").GetProperty("marker").GetString()!)
            .GroupBy(marker => marker)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var allTime = await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(SUM(value), 0) FROM usage_counters WHERE period = 0 AND (@companyId IS NULL OR company_id = @companyId)", new { companyId }).ConfigureAwait(false);
        return new EventLog(markers, allTime);
    }

    /// <summary>The losses: acknowledged markers missing, markers stored twice, counters that disagree with the log.</summary>
    public List<string> LossesOf(IEnumerable<string> acknowledged, long? expectedCounters = null)
    {
        var lost = new List<string>();
        var missing = acknowledged.Count(marker => !Markers.ContainsKey(marker));
        var twice = Markers.Count(pair => pair.Value > 1);
        if (missing > 0)
        {
            lost.Add($"{missing} acknowledged events missing from the event log");
        }

        if (twice > 0)
        {
            lost.Add($"{twice} events stored more than once");
        }

        if (AllTimeCounters != (expectedCounters ?? Stored))
        {
            lost.Add($"all-time usage counters say {AllTimeCounters}, expected {expectedCounters ?? Stored}");
        }

        return lost;
    }
}
