using System.Collections.Frozen;
using Tollgate.Engine;
using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// One environment's catalog at one moment, with every flag compiled: immutable, so checks read it without locks and
/// a write publishes a new snapshot.
/// </summary>
internal sealed class CatalogSnapshot
{
    public CatalogSnapshot(
        long version,
        string environmentId,
        IReadOnlyList<FeatureRecord> features,
        IReadOnlyList<FlagRecord> flags,
        IReadOnlyList<TraitDefinitionRecord> traits,
        IReadOnlyList<PlanRecord> plans,
        IReadOnlyList<PlanEntitlementRecord> entitlements)
    {
        Version = version;
        EnvironmentId = environmentId;
        Features = features.ToFrozenDictionary(f => f.Id, StringComparer.Ordinal);
        FlagsById = flags.ToFrozenDictionary(f => f.Id, StringComparer.Ordinal);
        TraitsById = traits.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
        TraitsByName = traits.GroupBy(t => (t.EntityType, t.Name)).ToFrozenDictionary(g => g.Key, g => g.First());
        Plans = plans.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        EntitlementsByFeature = entitlements.GroupBy(e => e.FeatureId, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<PlanEntitlementRecord>)[.. g], StringComparer.Ordinal);
        var compiler = new RuleCompiler(this);
        CompiledFlags = flags.ToFrozenDictionary(f => f.Key, f => CompiledFlag.Compile(compiler.CompileFlag(f)), StringComparer.Ordinal);
        FlagsInOrder = [.. flags.OrderBy(f => f.Key, StringComparer.Ordinal)];
    }

    /// <summary>Increases with every catalog write; company views built on an older one are rebuilt.</summary>
    public long Version { get; }

    public string EnvironmentId { get; }

    public FrozenDictionary<string, FeatureRecord> Features { get; }

    public FrozenDictionary<string, FlagRecord> FlagsById { get; }

    public FrozenDictionary<string, TraitDefinitionRecord> TraitsById { get; }

    public FrozenDictionary<(EntityType EntityType, string Name), TraitDefinitionRecord> TraitsByName { get; }

    public FrozenDictionary<string, PlanRecord> Plans { get; }

    public FrozenDictionary<string, IReadOnlyList<PlanEntitlementRecord>> EntitlementsByFeature { get; }

    /// <summary>Compiled flags by key.</summary>
    public FrozenDictionary<string, CompiledFlag> CompiledFlags { get; }

    /// <summary>Every flag, by key, for "check all flags".</summary>
    public IReadOnlyList<FlagRecord> FlagsInOrder { get; }

    /// <summary>The flag of a feature, if the feature and its flag exist.</summary>
    public FlagRecord? FlagOf(string featureId) =>
        Features.TryGetValue(featureId, out var feature) && FlagsById.TryGetValue(feature.FlagId, out var flag) ? flag : null;
}
