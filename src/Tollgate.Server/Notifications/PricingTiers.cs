using System.Collections.Concurrent;
using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Meters;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// Where usage crosses into the next tier of a tiered price (<c>entitlement.tier_limit.*</c>): the upper bounds
/// (<c>up_to</c>) of the active, metered, tiered billing prices of each plan, per event subtype the price meters (its
/// meter's event name, or the subtype Tollgate pushed it for). A price belongs to its plan version's plan, else to its
/// product's plan. Read from the store at most once per <see cref="Freshness"/> per environment, and only for usage in an
/// environment whose endpoints subscribe to an entitlement trigger: a price pushed or changed is watched within that time.
/// </summary>
internal sealed class PricingTiers(ResourceStore store, TimeProvider time)
{
    /// <summary>How long an environment's tiers are used before they are read again.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private static readonly IReadOnlyDictionary<(string PlanId, string Subtype), long[]> None = new Dictionary<(string, string), long[]>();

    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, IReadOnlyDictionary<(string PlanId, string Subtype), long[]> Bounds)> _read =
        new(StringComparer.Ordinal);

    /// <summary>The tier bounds of the environment's plans, ascending, by plan and event subtype.</summary>
    public async ValueTask<IReadOnlyDictionary<(string PlanId, string Subtype), long[]>> OfAsync(
        string environmentId, CatalogSnapshot catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var now = time.GetUtcNow();
        if (_read.TryGetValue(environmentId, out var held) && now - held.ReadAt < Freshness)
        {
            return held.Bounds;
        }

        var tiered = (await store.ListAllAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, cancellationToken).ConfigureAwait(false))
            .Where(p => p is { Active: true, UsageType: "metered", BillingScheme: "tiered" } && p.Tiers.Any(t => t.UpTo is > 0))
            .ToList();
        var bounds = None;
        if (tiered.Count > 0)
        {
            var meters = (await store.ListAllAsync<BillingMeterRecord>(environmentId, ResourceKinds.BillingMeter, cancellationToken).ConfigureAwait(false))
                .ToDictionary(m => m.Id, m => m.EventName, StringComparer.Ordinal);
            var products = (await store.ListAllAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, cancellationToken).ConfigureAwait(false))
                .ToDictionary(p => p.Id, p => p.PlanId, StringComparer.Ordinal);
            var found = new Dictionary<(string, string), SortedSet<long>>();
            foreach (var price in tiered)
            {
                var planId = price.PlanVersionId is { } versionId && catalog.VersionsById.TryGetValue(versionId, out var version)
                    ? version.PlanId
                    : products.GetValueOrDefault(price.ProductId);
                var subtype = price.MeterId is { } meterId && meters.TryGetValue(meterId, out var eventName)
                    ? eventName
                    : price.Metadata.GetValueOrDefault(Billing.Outbound.OutboundMetadata.EventSubtype);
                if (planId is null || subtype is null)
                {
                    continue;
                }

                if (!found.TryGetValue((planId, subtype), out var set))
                {
                    found[(planId, subtype)] = set = [];
                }

                set.UnionWith(price.Tiers.Select(t => t.UpTo).OfType<long>().Where(u => u > 0));
            }

            bounds = found.ToDictionary(f => f.Key, f => f.Value.ToArray());
        }

        _read[environmentId] = (now, bounds);
        return bounds;
    }
}
