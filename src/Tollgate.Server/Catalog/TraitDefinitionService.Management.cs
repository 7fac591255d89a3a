using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalog;

/// <summary>Where a trait definition is used in the catalog (Schematic's <c>EntityTraitDefinitionUsage</c>, less the companies' overrides).</summary>
internal sealed record TraitCatalogUsage(int FeatureCount, int PlanEntitlementCount, int RuleConditionCount)
{
    /// <summary>True when nothing in the catalog names the definition.</summary>
    public bool IsUnused => FeatureCount + PlanEntitlementCount + RuleConditionCount == 0;
}

/// <summary>Changing and deleting trait definitions, and where they are used.</summary>
internal sealed partial class TraitDefinitionService
{
    /// <summary>Where the catalog names the definition: features, plan entitlements, and rule conditions (own rules of flags).</summary>
    public static TraitCatalogUsage UsageOf(CatalogSnapshot catalog, string traitId)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var features = catalog.Features.Values.Count(f => f.TraitId == traitId);
        var entitlements = catalog.EntitlementsByFeature.Values.SelectMany(e => e).Count(e => e.ValueTraitId == traitId);
        var conditions = catalog.FlagsInOrder
            .SelectMany(f => f.Rules)
            .SelectMany(r => r.Conditions.Concat(r.ConditionGroups.SelectMany(g => g.Conditions)))
            .Count(c => c.TraitId == traitId || c.ComparisonTraitId == traitId);
        return new TraitCatalogUsage(features, entitlements, conditions);
    }

    /// <summary>
    /// Changes a definition's display name or trait type. The type decides how rules compare the trait, so it changes
    /// only while no feature, entitlement or rule uses the definition (409 otherwise).
    /// </summary>
    public async Task<TraitDefinitionRecord> UpdateAsync(RequestScope scope, string traitId, string? displayName, string? traitType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var comparableType = Validate.OneOf(Validate.Required(traitType, "trait_type"), "trait_type", TraitTypes.All);
        var display = Validate.Bounded(displayName, "display_name");
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                var before = await writer.Store.GetForUpdateAsync<TraitDefinitionRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.TraitDefinition, traitId).ConfigureAwait(false)
                    ?? throw new RequestException(StatusCodes.Status404NotFound, "trait definition not found");
                if (before.ComparableType != comparableType && !UsageOf(catalog, traitId).IsUnused)
                {
                    Errors.Conflict("trait_type", "the definition is used by features, entitlements or rules; its type cannot change");
                }

                var after = before with { DisplayName = display ?? before.DisplayName, ComparableType = comparableType };
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.TraitDefinition, after.Id, UniqueKey(after.EntityType, after.Name), null, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a definition no feature, entitlement, rule or override uses (409 naming the uses otherwise; the companies'
    /// and users' trait values stay, and a later write of the trait defines it again). False when there is none.
    /// </summary>
    public async Task<bool> DeleteAsync(RequestScope scope, string traitId, int overrideCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var usage = UsageOf(catalog, traitId);
        if (!usage.IsUnused || overrideCount > 0)
        {
            Errors.Conflict(
                "entity_trait_definition_id",
                $"in use by {usage.FeatureCount} features, {usage.PlanEntitlementCount} plan entitlements, {overrideCount} company overrides and {usage.RuleConditionCount} rule conditions");
        }

        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                var before = await writer.Store.GetForUpdateAsync<TraitDefinitionRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.TraitDefinition, traitId).ConfigureAwait(false);
                if (before is null)
                {
                    return false;
                }

                await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.TraitDefinition, traitId, before).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
