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
    private readonly FrozenSet<string> _implicitVersionIds;

    public CatalogSnapshot(
        long version,
        string environmentId,
        IReadOnlyList<FeatureRecord> features,
        IReadOnlyList<FlagRecord> flags,
        IReadOnlyList<TraitDefinitionRecord> traits,
        IReadOnlyList<PlanRecord> plans,
        IReadOnlyList<PlanVersionRecord> planVersions,
        IReadOnlyList<PlanEntitlementRecord> entitlements)
    {
        Version = version;
        EnvironmentId = environmentId;
        Features = features.ToFrozenDictionary(f => f.Id, StringComparer.Ordinal);
        FlagsById = flags.ToFrozenDictionary(f => f.Id, StringComparer.Ordinal);
        TraitsById = traits.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
        TraitsByName = traits.GroupBy(t => (t.EntityType, t.Name)).ToFrozenDictionary(g => g.Key, g => g.First());
        EngineTraitsByName = TraitsByName.ToFrozenDictionary(
            t => t.Key, t => new TraitDefinition { Id = t.Value.Id, ComparableType = t.Value.ComparableType, EntityType = t.Value.EntityType });
        Plans = plans.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        VersionsByPlan = PlanVersions.ByPlan(plans, planVersions);
        VersionsById = VersionsByPlan.Values.SelectMany(v => v).ToFrozenDictionary(v => v.Id, StringComparer.Ordinal);
        var stored = planVersions.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        _implicitVersionIds = VersionsById.Keys.Where(id => !stored.Contains(id)).ToFrozenSet(StringComparer.Ordinal);
        EntitlementsByVersion = entitlements.GroupBy(VersionIdOf, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<PlanEntitlementRecord>)[.. g], StringComparer.Ordinal);
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

    /// <summary>The engine's definition of each trait of <see cref="TraitsByName"/>: one instance shared by every warm company's traits.</summary>
    public FrozenDictionary<(EntityType EntityType, string Name), TraitDefinition> EngineTraitsByName { get; }

    public FrozenDictionary<string, PlanRecord> Plans { get; }

    /// <summary>
    /// Every plan's versions, oldest first. A plan stored before plans had versions has none in the store; it is given
    /// its implicit version 1 here (<see cref="PlanVersions.Implicit"/>), so every plan has exactly one published version.
    /// </summary>
    public FrozenDictionary<string, IReadOnlyList<PlanVersionRecord>> VersionsByPlan { get; }

    /// <summary>Every plan version (implicit ones included) by id.</summary>
    public FrozenDictionary<string, PlanVersionRecord> VersionsById { get; }

    public FrozenDictionary<string, IReadOnlyList<PlanEntitlementRecord>> EntitlementsByFeature { get; }

    /// <summary>Entitlements by the id of the version holding them.</summary>
    public FrozenDictionary<string, IReadOnlyList<PlanEntitlementRecord>> EntitlementsByVersion { get; }

    /// <summary>Compiled flags by key.</summary>
    public FrozenDictionary<string, CompiledFlag> CompiledFlags { get; }

    /// <summary>The entitlements warm companies of this catalog hold in common (shared so that their views do not each hold a copy).</summary>
    public SharedEntitlements SharedEntitlements { get; } = new();

    /// <summary>Every flag, by key, for "check all flags".</summary>
    public IReadOnlyList<FlagRecord> FlagsInOrder { get; }

    /// <summary>The environment's plan group (default, fallback and trial plans), or null when it has none.</summary>
    public Lifecycle.PlanGroupRecord? PlanGroup { get; init; }

    /// <summary>The plan a company is put on when its subscription ends, if the plan group names one that is still a base plan.</summary>
    public string? FallbackPlanId => BasePlanOrNull(PlanGroup?.FallbackPlanId);

    /// <summary>The plan a new company starts on (the plan group's initial plan), if it is still a base plan.</summary>
    public string? DefaultPlanId => BasePlanOrNull(PlanGroup?.InitialPlanId);

    private string? BasePlanOrNull(string? planId) =>
        planId is not null && Plans.TryGetValue(planId, out var plan) && plan.PlanType == PlanType.Plan ? planId : null;

    /// <summary>The version new assignments of the plan get; null if there is no such plan.</summary>
    public PlanVersionRecord? PublishedVersionOf(string planId) =>
        VersionsByPlan.TryGetValue(planId, out var versions) ? versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Published) : null;

    /// <summary>The plan's version 1: where its entitlements and companies from before plans had versions belong.</summary>
    public string FirstVersionIdOf(string planId) =>
        VersionsByPlan.TryGetValue(planId, out var versions) && versions.FirstOrDefault(v => v.Version == 1) is { } first ? first.Id : PlanVersions.ImplicitId(planId);

    /// <summary>The version holding an entitlement (version 1 for an entitlement stored before plans had versions).</summary>
    public string VersionIdOf(PlanEntitlementRecord entitlement) => entitlement.PlanVersionId ?? FirstVersionIdOf(entitlement.PlanId);

    /// <summary>Whether a version exists only implicitly (its plan was stored before plans had versions).</summary>
    public bool IsImplicit(PlanVersionRecord version) => _implicitVersionIds.Contains(version.Id);

    /// <summary>The flag of a feature, if the feature and its flag exist.</summary>
    public FlagRecord? FlagOf(string featureId) =>
        Features.TryGetValue(featureId, out var feature) && FlagsById.TryGetValue(feature.FlagId, out var flag) ? flag : null;
}
