using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Server-computed <c>FeatureEntitlement</c> entries on the company. The engine echoes the first one whose featureKey is
/// the flag key, re-serialised (its own field order, nulls and empty lists dropped, floats written its way), so the
/// entries carry every optional field in varied combinations, ints in float fields, and tiny/huge floats.
/// </summary>
internal static class EntitlementGenerator
{
    public static JsonArray Entitlements(ScenarioUniverse universe)
    {
        var random = universe.Random;
        var entries = new JsonArray();
        for (var count = random.Weighted((50, 1), (35, 2), (15, 3)); count > 0; count--)
        {
            var featureKey = random.Chance(0.55) ? universe.FlagKey : random.Pick(["other-feature", "api-access", ""]);
            entries.Add(Entitlement(universe, featureKey));
        }

        return entries;
    }

    private static JsonObject Entitlement(ScenarioUniverse universe, string featureKey)
    {
        var random = universe.Random;
        bool Has() => random.Chance(0.4);
        return new JsonObjectBuilder(random)
            .Required("featureId", "feat_" + random.Next(1, 4))
            .Required("featureKey", featureKey)
            .Required("valueType", random.Pick(Vocabulary.EntitlementValueTypes))
            .Optional("allocation", Has() ? universe.NearLimit() : null)
            .Optional("usage", Has() ? universe.NearLimit() : null)
            .Optional("softLimit", Has() ? universe.FocalLimit + 5 : null)
            .Optional("eventName", Has() ? random.Pick(Vocabulary.EventSubtypes) : null)
            .Optional("eventSubtype", Has() ? random.Pick(Vocabulary.EventSubtypes) : null)
            .Optional("metricPeriod", Has() ? random.Pick(Vocabulary.MetricPeriods) : null)
            .Optional("monthReset", Has() ? random.Pick(Vocabulary.MonthResets) : null)
            .Optional("metricResetAt", Has() ? random.Pick(["2025-07-01T00:00:00Z", "2025-07-01T00:00:00.000+00:00", "soon"]) : null)
            .Optional("creditId", Has() ? random.Pick(Vocabulary.CreditIds) : null)
            .Optional("creditTotal", Has() ? Float(random) : null)
            .Optional("creditUsed", Has() ? Float(random) : null)
            .Optional("creditRemaining", Has() ? Float(random) : null)
            .Optional("creditReserved", Has() ? Float(random) : null)
            .Optional("creditSettled", Has() ? Float(random) : null)
            .Optional("consumptionRate", Has() ? Float(random) : null)
            .Optional("warningTiers", Has() ? WarningTiers(random) : null)
            .Build();
    }

    /// <summary>Floats that a serializer writes in different ways: whole numbers, tiny and huge magnitudes, negatives.</summary>
    private static JsonNode Float(Random random) => random.Weighted<JsonNode>(
        (20, 100), (15, 0), (15, 10.5), (10, 0.1), (8, 1e21), (8, 1e-7), (8, -2.5), (8, 123456789.125), (8, 1e16), (5, 0.30000000000000004));

    private static JsonArray WarningTiers(Random random)
    {
        var tiers = new JsonArray();
        for (var i = random.Next(3); i > 0; i--)
        {
            tiers.Add(new JsonObjectBuilder(random)
                .Required("key", random.Pick(["warn_80", "warn_100", "critical"]))
                .Required("value", random.Pick([80L, 100L, 0L, -1L]))
                .Build());
        }

        return tiers;
    }
}
