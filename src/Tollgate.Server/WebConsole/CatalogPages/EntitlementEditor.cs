using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Credits;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;

namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>
/// Saves one plan × feature entitlement of a plan's published version, or of the version named (a draft), through
/// <see cref="PlanService"/> (as <c>POST</c>/<c>PUT /plan-entitlements</c> do): updated when the version has one for
/// the feature, created otherwise. The plan page, the grid and the entitlement page all write through here.
/// </summary>
internal sealed class EntitlementEditor(RuntimeRegistry runtimes, PlanService plans, CreditTypeService creditTypes)
{
    /// <summary>Creates or updates the entitlement; throws <see cref="RequestException"/> naming the field on bad input.</summary>
    public async Task<PlanEntitlementRecord> SaveAsync(
        ConsoleContext console, string planId, string featureId, EntitlementInput input, CancellationToken cancellationToken, string? versionId = null)
    {
        var request = input.ToRequest(planId, featureId, out var error) ?? throw new RequestException(StatusCodes.Status400BadRequest, error!);
        request = request with { PlanVersionId = versionId };
        var catalog = await runtimes.For(console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        return Existing(catalog, planId, featureId, versionId) is { } existing
            ? await plans.UpdateEntitlementAsync(console.Scope, existing.Id, request, cancellationToken).ConfigureAwait(false)
            : await plans.CreateEntitlementAsync(console.Scope, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the plan's entitlement to the feature, if its published version has one; answers whether it did.</summary>
    public async Task<bool> RemoveAsync(ConsoleContext console, string planId, string featureId, CancellationToken cancellationToken, string? versionId = null)
    {
        var catalog = await runtimes.For(console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        return Existing(catalog, planId, featureId, versionId) is { } existing
            && await plans.DeleteEntitlementAsync(console.Scope, existing.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The published version's entitlement to the feature (or the named version's), if any.</summary>
    public static PlanEntitlementRecord? Existing(CatalogSnapshot catalog, string planId, string featureId, string? versionId = null) =>
        versionId is null
            ? CatalogReads.PublishedEntitlements(catalog, planId).GetValueOrDefault(featureId)
            : catalog.EntitlementsByVersion.GetValueOrDefault(versionId)?.FirstOrDefault(e => e.FeatureId == featureId);

    /// <summary>The form for the plan × feature: filled from its entitlement, or a sensible start for the feature's type.</summary>
    public static EntitlementInput Start(CatalogSnapshot catalog, string planId, FeatureRecord feature, string? versionId = null) =>
        Existing(catalog, planId, feature.Id, versionId) is { } existing
            ? EntitlementInput.From(existing)
            : feature.FeatureType == FeatureType.Boolean
                ? new EntitlementInput { FeatureId = feature.Id, ValueType = "boolean" }
                : new EntitlementInput { FeatureId = feature.Id, ValueType = "numeric", MetricPeriod = feature.FeatureType == FeatureType.Event ? "current_month" : "all_time" };

    /// <summary>The company traits and credit types an entitlement may name.</summary>
    public async Task<(IReadOnlyList<TraitDefinitionRecord> Traits, IReadOnlyList<CreditTypeRecord> Credits)> ChoicesAsync(
        ConsoleContext console, CatalogSnapshot catalog, CancellationToken cancellationToken)
    {
        var traits = catalog.TraitsById.Values.Where(t => t.EntityType == EntityType.Company).OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var credits = await creditTypes.ListAsync(console.Environment.Id, null, cancellationToken).ConfigureAwait(false);
        return (traits, credits);
    }
}
