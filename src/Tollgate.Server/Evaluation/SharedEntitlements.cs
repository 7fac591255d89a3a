using System.Collections.Concurrent;
using Tollgate.Engine.Model;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// One instance of each entitlement that many warm companies hold equal (a plan's on/off features, an unlimited or an
/// unused limit with the same reset), so that their views refer to it instead of each holding a copy. Entitlements are
/// immutable records: an equal instance answers and serializes exactly as the company's own would. One table per
/// catalog snapshot; bounded (past <see cref="Capacity"/> new entitlements are kept unshared).
/// </summary>
internal sealed class SharedEntitlements
{
    /// <summary>The most entitlements held: features × plan grants × reset instants of a day stay far below it.</summary>
    public const int Capacity = 16_384;

    private readonly ConcurrentDictionary<FeatureEntitlement, FeatureEntitlement> _shared = new();
    private int _added;

    /// <summary>Replaces, in place, each entitlement that can be shared by the shared instance equal to it.</summary>
    public List<FeatureEntitlement> Share(List<FeatureEntitlement> entitlements)
    {
        for (var i = 0; i < entitlements.Count; i++)
        {
            entitlements[i] = Share(entitlements[i]);
        }

        return entitlements;
    }

    private FeatureEntitlement Share(FeatureEntitlement entitlement)
    {
        // Only what companies have in common: usage above zero and credit balances are the company's own, and a list of
        // warning tiers compares by reference (a record's equality), so such entitlements would never be found again.
        if (entitlement.Usage is not (null or 0) || entitlement.CreditId is not null || entitlement.WarningTiers is not null)
        {
            return entitlement;
        }

        if (_shared.TryGetValue(entitlement, out var shared))
        {
            return shared;
        }

        return Interlocked.Increment(ref _added) > Capacity ? entitlement : _shared.GetOrAdd(entitlement, entitlement);
    }
}
