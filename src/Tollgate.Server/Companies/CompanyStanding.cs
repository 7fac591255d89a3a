using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Companies;

/// <summary>
/// What the company directory holds of one company (one <c>company_directory</c> row): what it is found and sorted by,
/// and its standing against its limits, worked out with the same entitlements a check uses (<see cref="Entitlements"/>:
/// an active override wins, else the most generous grant of the plan versions it is on).
/// </summary>
internal sealed record CompanyStanding
{
    /// <summary>The longest <see cref="SearchText"/> kept.</summary>
    public const int MaxSearchText = 512;

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    public required string CompanyId { get; init; }

    public string? Name { get; init; }

    /// <summary>The lower-case name (the id when it has none): the name sort.</summary>
    public required string SortName { get; init; }

    /// <summary>Lower-case name, id and key values, one per line: what <c>q</c> is a substring of.</summary>
    public required string SearchText { get; init; }

    /// <summary>The first of its keys as <c>key: value</c>.</summary>
    public string? MainKey { get; init; }

    public string? PlanId { get; init; }

    /// <summary>Its add-ons, each between bars (<c>|a|b|</c>), so that one is found with <c>LIKE '%|id|%'</c>.</summary>
    public required string AddOnIds { get; init; }

    /// <summary>The version of each plan the company holds at the time of the row, as <c>|id|id|</c>.</summary>
    public required string PlanVersionIds { get; init; }

    /// <summary>When its running trial ends; null when it is not trialing.</summary>
    public DateTimeOffset? TrialEndsAt { get; init; }

    public required int OverrideCount { get; init; }

    /// <summary>The highest usage ÷ limit of its metered entitlements; 0 without any (or without usage).</summary>
    public required double WorstRatio { get; init; }

    public string? WorstFeatureId { get; init; }

    public long? WorstUsage { get; init; }

    public long? WorstLimit { get; init; }

    /// <summary>The next instant the row stops being true without a write: a period with usage resets, an override expires, a trial or a plan version move is due.</summary>
    public DateTimeOffset? StaleAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Its traits whose value is a whole number (written without a point or an exponent), as a JSON object; null when it
    /// has none. The environment's totals per trait are kept from these by the rows' triggers (migration 36).
    /// </summary>
    public string? WholeTraits { get; init; }

    /// <summary>Works out a company's row at <paramref name="now"/>.</summary>
    public static CompanyStanding Of(
        CatalogSnapshot catalog, CompanyRecord record, IReadOnlyList<CompanyOverrideRecord> overrides, CompanyUsage usage, DateTimeOffset now)
    {
        var active = overrides.Where(o => o.ExpirationDate is not { } at || at > now).ToList();
        var planIds = CompanyPlanVersions.PlanIdsOf(record);
        var versionIds = CompanyPlanVersions.VersionIds(catalog, CompanyPlanVersions.Settle(record, now), planIds);
        string? worstFeature = null;
        long? worstUsage = null, worstLimit = null;
        var worstRatio = 0.0;
        DateTimeOffset? staleAt = null;
        foreach (var entitlement in Entitlements.For(catalog, record, versionIds, active, usage, now).OrderBy(e => e.FeatureId, StringComparer.Ordinal))
        {
            if (entitlement is not { Allocation: { } limit, Usage: { } used } || (limit <= 0 && used <= 0))
            {
                continue;
            }

            // A limit of nothing with some usage is over by all of it: the ratio counts it against one.
            var ratio = (double)used / Math.Max(limit, 1);
            if (ratio > worstRatio)
            {
                (worstRatio, worstFeature, worstUsage, worstLimit) = (ratio, entitlement.FeatureId, used, limit);
            }

            if (entitlement.EventName is not null && used > 0
                && UsagePeriods.NextReset(UsagePeriods.Of(entitlement.MetricPeriod, entitlement.MonthReset), now, record.Subscription) is { } reset)
            {
                staleAt = Earliest(staleAt, reset);
            }
        }

        var trial = TrialState.Of(record) is { IsActive: true } state ? state.End : (DateTimeOffset?)null;
        foreach (var expiry in active.Select(o => o.ExpirationDate).Append(trial).Append(CompanyPlanVersions.NextMove(record, planIds, now)))
        {
            staleAt = Earliest(staleAt, expiry);
        }

        var firstKey = record.Keys.FirstOrDefault();
        return new CompanyStanding
        {
            CompanyId = record.Id,
            Name = record.Name,
            SortName = (string.IsNullOrWhiteSpace(record.Name) ? record.Id : record.Name).ToLowerInvariant(),
            SearchText = SearchTextOf(record),
            MainKey = firstKey.Key is null ? null : string.Create(CultureInfo.InvariantCulture, $"{firstKey.Key}: {firstKey.Value}"),
            PlanId = record.BasePlanId,
            AddOnIds = record.AddOnIds.Count == 0 ? string.Empty : $"|{string.Join('|', record.AddOnIds)}|",
            PlanVersionIds = versionIds.Count == 0 ? string.Empty : $"|{string.Join('|', versionIds)}|",
            TrialEndsAt = trial,
            OverrideCount = active.Count,
            WorstRatio = worstRatio,
            WorstFeatureId = worstFeature,
            WorstUsage = worstUsage,
            WorstLimit = worstLimit,
            StaleAt = staleAt,
            CreatedAt = record.CreatedAt,
            WholeTraits = WholeTraitsOf(record),
        };
    }

    /// <summary>
    /// Name, id and key values, lower-case, one per line, cut at <see cref="MaxSearchText"/> characters: the column is part
    /// of three indexes, and a PostgreSQL index entry must stay well under a page.
    /// </summary>
    private static string SearchTextOf(CompanyRecord record)
    {
        var text = string.Join('\n', record.Keys.Values.Prepend(record.Id).Prepend(record.Name ?? string.Empty)).ToLowerInvariant();
        return text.Length > MaxSearchText ? text[..MaxSearchText] : text;
    }

    private static string? WholeTraitsOf(CompanyRecord record)
    {
        var whole = record.Traits.Where(t => t.Value.ValueKind == JsonValueKind.Number && IsWholeNumber(t.Value.GetRawText()))
            .OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        if (whole.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in whole)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // As the store tells a whole number from its JSON text: digits, after an optional minus.
    private static bool IsWholeNumber(string number)
    {
        var digits = number.AsSpan(number.StartsWith('-') ? 1 : 0);
        return !digits.IsEmpty && !digits.ContainsAnyExcept(Digits);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
