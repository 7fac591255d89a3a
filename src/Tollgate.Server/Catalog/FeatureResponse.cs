namespace Tollgate.Server.Catalog;

/// <summary>
/// A feature in Schematic's shape (<c>FeatureDetailResponseData</c>, the fields Tollgate has): its flags, and the plans
/// with a version that grants it.
/// </summary>
public sealed record FeatureResponse(
    string Id,
    string EnvironmentId,
    string Name,
    string Description,
    string Icon,
    FeatureType FeatureType,
    string? EventSubtype,
    string? TraitId,
    string FlagId,
    IReadOnlyList<FlagResponse> Flags,
    IReadOnlyList<PreviewResponse> Plans,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static FeatureResponse From(FeatureRecord feature, Evaluation.CatalogSnapshot catalog)
    {
        IReadOnlyList<FlagResponse> flags = catalog.FlagsById.TryGetValue(feature.FlagId, out var flag) ? [FlagResponse.From(flag, catalog.EnvironmentId)] : [];
        var plans = (catalog.EntitlementsByFeature.GetValueOrDefault(feature.Id) ?? []).Select(e => e.PlanId).Distinct(StringComparer.Ordinal)
            .Select(catalog.Plans.GetValueOrDefault).OfType<PlanRecord>().OrderBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal)
            .Select(PreviewResponse.Of).ToList();
        return new(
            feature.Id, catalog.EnvironmentId, feature.Name, feature.Description ?? string.Empty, string.Empty, feature.FeatureType, feature.EventSubtype,
            feature.TraitId, feature.FlagId, flags, plans, feature.CreatedAt, feature.UpdatedAt);
    }
}
