using System.Runtime.CompilerServices;
using Dapper;
using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// The entitled companies of a metered feature in answer order (most used first, then by id), read from the feature's
/// counters in value order (migration 48's <c>usage_counters_over</c>) instead of checking every holder first. Taken only
/// where the order is provably the counters': SQL decides the holders (<see cref="FeatureHolders"/>), the feature counts
/// an event, every plan entitlement of it on a version a company can be on reports the counter of one calendar period P
/// (numeric or trait) or none (unlimited, boolean on), each plan's versions agree on which, and no override of the
/// feature, active or expired, reports another period than P (<see cref="OverrideUsagePeriods"/>). Then a holder's usage
/// (<c>Evaluation/Entitlements</c>: its last active override, else its most generous plan grant, unlimited and boolean on
/// beating any limit) is its counter of P in the current bucket, or none, which sorts as 0. <see cref="ForAsync"/>
/// answers null otherwise (credit or boolean-off grants, a billing-anchored period, plans' periods that differ, an
/// override of its own period) and the caller keeps the exact walk.
/// <para>
/// The answer is in two parts. First the holders with a counter above 0, in value order, leaving out in SQL those on a
/// base plan that reports no usage and without an active override (unlimited beats the limit); each is checked, and one
/// whose check reports no usage (an add-on or an override that reports none) belongs to the second part and is passed
/// over. Then the holders whose usage sorts as 0, in id order: SQL keeps those without a counter above 0 and those that
/// may report none (on such a plan, or with an active override), and the check keeps those that report 0 or none. Each
/// answered company is checked, so its value and usage are the check's.
/// </para>
/// </summary>
internal sealed class CounterOrder
{
    private readonly ResourceStore _store;
    private readonly FeatureHolders _holders;
    private readonly string _subtype;
    private readonly UsagePeriod _period;
    private readonly long _bucket;
    private readonly string[] _silentBasePlanIds;
    private readonly string[] _silentAddOnIds;

    private CounterOrder(ResourceStore store, FeatureHolders holders, string subtype, UsagePeriod period, long bucket, string[] silentBasePlanIds, string[] silentAddOnIds)
    {
        _store = store;
        _holders = holders;
        _subtype = subtype;
        _period = period;
        _bucket = bucket;
        _silentBasePlanIds = silentBasePlanIds;
        _silentAddOnIds = silentAddOnIds;
    }

    private SqlDialect Dialect => _store.Database.Dialect;

    /// <summary>The counter order of <paramref name="feature"/>'s holders at <paramref name="now"/>, or null where it may not be the answer's order.</summary>
    public static async Task<CounterOrder?> ForAsync(
        ResourceStore store, CatalogSnapshot catalog, FeatureRecord feature, FeatureHolders? holders, string environmentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(feature);
        if (holders is null || feature.FeatureType != FeatureType.Event || feature.EventSubtype is not { } subtype
            || PlanGrants.Of(catalog, feature.Id) is not { } grants
            || await OverrideUsagePeriods.AnyOtherThanAsync(store.Database, environmentId, feature.Id, grants.Period, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var silentAddOns = grants.SilentPlanIds.Where(p => catalog.Plans[p].PlanType == PlanType.AddOn).ToArray();
        return new CounterOrder(
            store, holders, subtype, grants.Period, UsagePeriods.BucketOf(grants.Period, now, null), [.. grants.SilentPlanIds.Except(silentAddOns, StringComparer.Ordinal)], silentAddOns);
    }

    /// <summary>
    /// The holders <paramref name="text"/> keeps in answer order, each with its check's usage. <paramref name="needed"/>
    /// (a page's offset and limit) sizes the first query.
    /// </summary>
    public async IAsyncEnumerable<CompanyFeatureUsage> InOrderAsync(
        RequestScope scope, CheckService checks, CatalogSnapshot catalog, string flagKey, SqlCondition? text, long needed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checks);
        (long Value, string Id)? after = null;
        foreach (var size in CandidateBatches.Sizes(needed))
        {
            var batch = await UsedAsync(scope.EnvironmentId, text, after, size, cancellationToken).ConfigureAwait(false);
            foreach (var (company, _, mayReportNone) in batch)
            {
                // Usage none or 0 sorts with the second part, which lists only companies that may report none. Where an
                // event lands between the counters' read and the check, or a warm view answers usage older than the
                // committed counter (up to CompanyView.UsageRefresh), the company keeps the place its counter gave it
                // and answers the check's usage: a company that cannot report none is never passed over, as the second
                // part would not list it.
                if (await CheckAsync(scope, checks, catalog, flagKey, company, cancellationToken).ConfigureAwait(false) is { } used
                    && (used.Usage.Usage > 0 || !mayReportNone))
                {
                    yield return used;
                }
            }

            if (batch.Count < size)
            {
                break;
            }

            after = (batch[^1].Value, batch[^1].Company.Id);
        }

        var unused = Unused(text);
        string? afterId = null;
        foreach (var size in CandidateBatches.Sizes(needed))
        {
            var batch = await _store.ListAfterAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, unused, afterId, size, cancellationToken).ConfigureAwait(false);
            foreach (var company in batch)
            {
                if (await CheckAsync(scope, checks, catalog, flagKey, company, cancellationToken).ConfigureAwait(false) is { Usage.Usage: null or 0 } unusedOne)
                {
                    yield return unusedOne;
                }
            }

            if (batch.Count < size)
            {
                yield break;
            }

            afterId = batch[^1].Id;
        }
    }

    private static async Task<CompanyFeatureUsage?> CheckAsync(
        RequestScope scope, CheckService checks, CatalogSnapshot catalog, string flagKey, CompanyRecord company, CancellationToken cancellationToken)
    {
        var answer = await checks.CheckAsync(scope, flagKey, new CheckRequest(company.Keys, null, null), cancellationToken).ConfigureAwait(false);
        return UsageReports.Describe(catalog, answer) is { } usage ? new CompanyFeatureUsage(company, usage) : null;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> holders with a counter above 0 after <paramref name="after"/> in value order (value
    /// descending, then id), but those on a base plan that reports no usage without an active override. PostgreSQL walks
    /// <c>usage_counters_over</c> backward (an incremental sort orders each value's ids) and probes each row's company.
    /// </summary>
    private async Task<List<(CompanyRecord Company, long Value, bool MayReportNone)>> UsedAsync(string environmentId, SqlCondition? text, (long Value, string Id)? after, int limit, CancellationToken cancellationToken)
    {
        var row = EntitySql.Row;
        var parameters = new DynamicParameters(new { environmentId, m_subtype = _subtype, m_period = (int)_period, m_bucket = _bucket, m_limit = limit, m_value = after?.Value, m_after = after?.Id });
        var holds = _holders.Holds(row);
        parameters.AddDynamicParams(holds.Parameters);
        var conditions = new List<string> { holds.Sql };
        if (_silentBasePlanIds.Length > 0)
        {
            parameters.Add("m_silent_bases", _silentBasePlanIds);
            // IS NOT NULL first: a company without a base plan must not make the negation null (which would drop it).
            conditions.Add($"NOT ({row}.base_plan_id IS NOT NULL AND {Dialect.IsAnyOf($"{row}.base_plan_id", "m_silent_bases")} AND NOT {_holders.HasActiveOverride(row).Sql})");
        }

        if (text is not null)
        {
            parameters.AddDynamicParams(text.Parameters);
            conditions.Add(text.Sql);
        }

        // Whether the company's check may report no usage although it has a counter (the second part lists it then).
        var mayReportNone = new List<string> { _holders.HasActiveOverride(row).Sql };
        if (_silentAddOnIds.Length > 0)
        {
            parameters.Add("m_silent_add_ons", _silentAddOnIds);
            mayReportNone.Add(SilentAddOnLink(row, fence: string.Empty));
        }

        var afterCondition = after is null ? string.Empty : " AND u.value <= @m_value AND (u.value < @m_value OR u.company_id > @m_after)";
        await using var connection = await _store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await _store.PlannedForTheirValuesAsync(connection, filtered: true, cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Data, long Value, long MayReportNone)>(new CommandDefinition(
            $"""
            SELECT {row}.data, u.value, CAST(CASE WHEN {string.Join(" OR ", mayReportNone)} THEN 1 ELSE 0 END AS BIGINT) FROM usage_counters u
                JOIN resources {row} ON {row}.environment_id = u.environment_id AND {row}.id = u.company_id
            WHERE u.environment_id = @environmentId AND u.event_subtype = @m_subtype AND u.period = @m_period AND u.bucket = @m_bucket AND u.value > 0{afterCondition}
                AND {string.Join(" AND ", conditions.Select(c => $"({c})"))}
            ORDER BY u.value DESC, u.company_id
            LIMIT @m_limit
            """,
            parameters,
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => (StoredJson.Deserialize<CompanyRecord>(r.Data), r.Value, r.MayReportNone != 0))];
    }

    /// <summary>
    /// The holders <paramref name="text"/> keeps that may report 0 or no usage: without a counter above 0, on a plan
    /// that reports none, or with an active override (which may report none). A probe per row, fenced on PostgreSQL as
    /// <see cref="FeatureHolders"/> does, so that the walk in id order stops with the page.
    /// </summary>
    private SqlCondition Unused(SqlCondition? text)
    {
        var row = EntitySql.Row;
        var holds = _holders.Holds(row);
        var parameters = new Dictionary<string, object?>(holds.Parameters, StringComparer.Ordinal)
        {
            ["m_subtype"] = _subtype,
            ["m_period"] = (int)_period,
            ["m_bucket"] = _bucket,
        };
        var fence = Dialect.IsPostgres ? " OFFSET 0" : string.Empty;
        var mayBeUnused = new List<string>
        {
            $"""
            NOT EXISTS (SELECT 1 FROM usage_counters mu WHERE mu.environment_id = @environmentId AND mu.company_id = {row}.id
                AND mu.event_subtype = @m_subtype AND mu.period = @m_period AND mu.bucket = @m_bucket AND mu.value > 0{fence})
            """,
            _holders.HasActiveOverride(row).Sql,
        };
        if (_silentBasePlanIds.Length > 0)
        {
            parameters["m_silent_bases"] = _silentBasePlanIds;
            mayBeUnused.Add(Dialect.IsAnyOf($"{row}.base_plan_id", "m_silent_bases"));
        }

        if (_silentAddOnIds.Length > 0)
        {
            parameters["m_silent_add_ons"] = _silentAddOnIds;
            mayBeUnused.Add(SilentAddOnLink(row, fence));
        }

        var condition = new SqlCondition($"({holds.Sql}) AND ({string.Join(" OR ", mayBeUnused)})", parameters);
        if (text is null)
        {
            return condition;
        }

        foreach (var (name, value) in text.Parameters)
        {
            parameters[name] = value;
        }

        return new SqlCondition($"({condition.Sql}) AND ({text.Sql})", parameters);
    }

    // Whether the company links one of the add-ons that report no usage (@m_silent_add_ons).
    private string SilentAddOnLink(string row, string fence) =>
        $"""
        EXISTS (SELECT 1 FROM resource_links ml WHERE ml.environment_id = @environmentId AND ml.kind = '{ResourceKinds.Company}'
            AND ml.id = {row}.id AND {Dialect.IsAnyOf("ml.linked_id", "m_silent_add_ons")}{fence})
        """;

    /// <summary>
    /// What a feature's plan entitlements report, where that is simple: <see cref="Period"/>, the one calendar period every
    /// entitlement that reports usage counts, and <see cref="SilentPlanIds"/>, the plans whose entitlements report none.
    /// </summary>
    private sealed record PlanGrants(UsagePeriod Period, string[] SilentPlanIds)
    {
        /// <summary>
        /// Null where the plans' entitlements on versions a company can be on (every version but drafts) include a
        /// credit or boolean-off grant (which a limit may beat or tie), a plan's entitlements disagree on reporting
        /// usage, reporting ones count different periods or a billing-anchored one (a bucket per company), or none
        /// reports usage.
        /// </summary>
        public static PlanGrants? Of(CatalogSnapshot catalog, string featureId)
        {
            var live = catalog.VersionsByPlan.Values.SelectMany(v => v).Where(v => v.Status != PlanVersionStatus.Draft).Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
            UsagePeriod? period = null;
            var reporting = new HashSet<string>(StringComparer.Ordinal);
            var silent = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entitlement in catalog.EntitlementsByFeature.GetValueOrDefault(featureId) ?? [])
            {
                if (!catalog.Plans.ContainsKey(entitlement.PlanId) || !live.Contains(catalog.VersionIdOf(entitlement)))
                {
                    continue;
                }

                switch (entitlement.ValueType)
                {
                    case EntitlementValueKind.Numeric or EntitlementValueKind.Trait:
                        var counted = UsagePeriods.Of(entitlement.MetricPeriod ?? MetricPeriod.AllTime, entitlement.MetricPeriodMonthReset);
                        if (period is { } p && p != counted)
                        {
                            return null;
                        }

                        period = counted;
                        reporting.Add(entitlement.PlanId);
                        break;
                    case EntitlementValueKind.Unlimited:
                    case EntitlementValueKind.Boolean when entitlement.ValueBool != false:
                        silent.Add(entitlement.PlanId);
                        break;
                    default:
                        return null;
                }
            }

            return period is not { } one || one == UsagePeriod.MonthFromBillingAnchor || reporting.Overlaps(silent)
                ? null
                : new PlanGrants(one, [.. silent]);
        }
    }
}
