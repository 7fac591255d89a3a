using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Tollgate.Engine.Model;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// Detects usage crossing an entitlement's limits where usage is committed (the ingestion writer's transaction), and
/// writes one notice per company, feature, period, limit and level ever (a dedupe key in the outbox): a retried event
/// is a duplicate and counts nothing, and a repeated crossing of the same level in the same period finds its key used.
/// Only environments with an active endpoint subscribed to an <c>entitlement.*</c> type are watched, so ingestion
/// elsewhere does no more than one set lookup per event. Levels: the limit and the soft limit, each with its warnings,
/// and each tier bound of the company's plans' tiered prices (<see cref="PricingTiers"/>) with its warning, at
/// <see cref="WebhookOptions.DefaultWarningPercent"/> of the way through the tier.
/// </summary>
internal sealed class UsageThresholds(INoticeOutbox outbox, PricingTiers tiers, IOptions<WebhookOptions> options)
{
    /// <summary>The request types the ingestion writer raises.</summary>
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        WebhookRequestTypes.EntitlementLimitWarning, WebhookRequestTypes.EntitlementLimitReached,
        WebhookRequestTypes.EntitlementSoftLimitWarning, WebhookRequestTypes.EntitlementSoftLimitReached,
        WebhookRequestTypes.EntitlementTierLimitWarning, WebhookRequestTypes.EntitlementTierLimitReached,
    };

    private volatile HashSet<string> _watched = new(StringComparer.Ordinal);

    /// <summary>True when usage in the environment may raise a notice.</summary>
    public bool IsWatched(string environmentId) => _watched.Contains(environmentId);

    /// <summary>Replaces the watched environments (the worker reads them from the store on every pass, so other nodes' endpoints count too).</summary>
    public void Watch(HashSet<string> environmentIds) => _watched = environmentIds;

    /// <summary>The limits usage of <paramref name="subtype"/> by the company counts against, as checks see it now.</summary>
    public async ValueTask<IReadOnlyList<LimitWatch>> WatchesForAsync(CatalogSnapshot catalog, CompanyView company, string subtype, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(company);
        List<LimitWatch>? watches = null;
        IReadOnlyDictionary<(string PlanId, string Subtype), long[]>? tierBounds = null;
        foreach (var entitlement in company.Compiled.Source.Entitlements)
        {
            if (entitlement.ValueType != EntitlementValueType.Numeric
                || !catalog.Features.TryGetValue(entitlement.FeatureId, out var feature)
                || !string.Equals(feature.EventSubtype, subtype, StringComparison.Ordinal))
            {
                continue;
            }

            var thresholds = new List<LimitThreshold>();
            if (entitlement.Allocation is { } allocation)
            {
                AddLevels(thresholds, allocation, entitlement.WarningTiers, WebhookRequestTypes.EntitlementLimitWarning, WebhookRequestTypes.EntitlementLimitReached, "limit");
            }

            if (entitlement.SoftLimit is { } soft)
            {
                AddLevels(thresholds, soft, null, WebhookRequestTypes.EntitlementSoftLimitWarning, WebhookRequestTypes.EntitlementSoftLimitReached, "soft_limit");
            }

            tierBounds ??= await tiers.OfAsync(catalog.EnvironmentId, catalog, cancellationToken).ConfigureAwait(false);
            AddTierLevels(thresholds, TierBoundsOf(tierBounds, company.Record, subtype));
            if (thresholds.Count == 0)
            {
                continue;
            }

            (watches ??= []).Add(new LimitWatch(
                feature.Id,
                UsagePeriods.Of(entitlement.MetricPeriod, entitlement.MonthReset),
                thresholds,
                entitlement.Allocation,
                entitlement.SoftLimit,
                entitlement.MetricResetAt,
                new { id = feature.Id, name = feature.Name, feature_type = feature.FeatureType, event_subtype = feature.EventSubtype, flag_key = entitlement.FeatureKey },
                new { id = company.Record.Id, name = company.Record.Name, keys = company.Record.Keys }));
        }

        return watches ?? (IReadOnlyList<LimitWatch>)[];
    }

    /// <summary>
    /// In the commit's transaction, after its counters were added: writes a notice for each level the commit took a
    /// watched counter to or past. <paramref name="deltas"/> are what the commit added to each counter.
    /// </summary>
    public async Task RecordAsync(DbConnection connection, DbTransaction transaction, IEnumerable<AcceptedEvent> events, IReadOnlyDictionary<CounterKey, long> deltas)
    {
        ArgumentNullException.ThrowIfNull(events);
        HashSet<(CounterKey, string)>? seen = null;
        foreach (var e in events)
        {
            if (e.Limits.Count == 0 || !e.CountsUsage)
            {
                continue;
            }

            foreach (var watch in e.Limits)
            {
                var key = new CounterKey(e.EnvironmentId, e.CompanyId!, e.Subtype!, watch.Period, UsagePeriods.BucketOf(watch.Period, e.OccurredAt, e.Subscription));
                if (!(seen ??= []).Add((key, watch.FeatureId)) || !deltas.TryGetValue(key, out var delta))
                {
                    continue;
                }

                var after = await connection.ExecuteScalarAsync<long>(
                    """
                    SELECT value FROM usage_counters
                    WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND event_subtype = @Subtype AND period = @period AND bucket = @Bucket
                    """,
                    new { key.EnvironmentId, key.CompanyId, key.Subtype, period = (int)key.Period, key.Bucket },
                    transaction).ConfigureAwait(false);
                var before = after - delta;
                foreach (var threshold in watch.Thresholds)
                {
                    if (before < threshold.Level && threshold.Level <= after)
                    {
                        await outbox.AppendAsync(connection, transaction, new Notice(
                            e.EnvironmentId,
                            threshold.RequestType,
                            watch.FeatureId,
                            $"{threshold.RequestType}/{key.CompanyId}/{watch.FeatureId}/{key.Period}/{key.Bucket}/{threshold.Level}",
                            FeatureUsageBody.Of(
                                threshold.Limit ?? watch.Allocation, threshold.LimitKind, after, watch.MetricResetAt, watch.Feature, watch.Company, threshold.Level, watch.SoftLimit, null, null),
                            UsagePeriods.NextReset(watch.Period, e.OccurredAt, e.Subscription)))
                            .ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private void AddLevels(List<LimitThreshold> thresholds, long limit, IReadOnlyList<WarningTier>? tiers, string warning, string reached, string kind)
    {
        if (limit <= 0)
        {
            return;
        }

        // Warning tiers are percentages of the limit; an entitlement without any warns at the configured default.
        IEnumerable<long> percents = tiers is { Count: > 0 } ? tiers.Select(t => t.Value) : [options.Value.DefaultWarningPercent];
        foreach (var percent in percents.Where(p => p is > 0 and < 100).Distinct())
        {
            // In whole numbers (a double's 0.8 × 10 may round up past 8); a limit is far below long.MaxValue / 100.
            thresholds.Add(new LimitThreshold(warning, kind, limit > long.MaxValue / 100 ? limit / 100 * percent : ((limit * percent) + 99) / 100));
        }

        thresholds.Add(new LimitThreshold(reached, kind, limit));
    }

    /// <summary>The bounds of the tiers the company's plans (base plan and add-ons) price usage of the subtype in, ascending.</summary>
    private static IReadOnlyList<long> TierBoundsOf(IReadOnlyDictionary<(string PlanId, string Subtype), long[]> bounds, Companies.CompanyRecord company, string subtype)
    {
        if (bounds.Count == 0)
        {
            return [];
        }

        var plans = company.BasePlanId is { } basePlan ? company.AddOnIds.Prepend(basePlan) : company.AddOnIds;
        return [.. plans.SelectMany(p => bounds.GetValueOrDefault((p, subtype)) ?? []).Distinct().Order()];
    }

    /// <summary>
    /// Each tier bound as a <c>tier_limit.reached</c> level (the tier's limit is its bound), with a warning at the
    /// default percentage of the way from the tier's start (the bound before it, or 0) to its bound.
    /// </summary>
    private void AddTierLevels(List<LimitThreshold> thresholds, IReadOnlyList<long> bounds)
    {
        var start = 0L;
        foreach (var bound in bounds)
        {
            var span = bound - start;
            var warning = start + (span > long.MaxValue / 100 ? span / 100 * options.Value.DefaultWarningPercent : ((span * options.Value.DefaultWarningPercent) + 99) / 100);
            if (warning > start && warning < bound)
            {
                thresholds.Add(new LimitThreshold(WebhookRequestTypes.EntitlementTierLimitWarning, "tier_limit", warning, bound));
            }

            thresholds.Add(new LimitThreshold(WebhookRequestTypes.EntitlementTierLimitReached, "tier_limit", bound, bound));
            start = bound;
        }
    }
}
