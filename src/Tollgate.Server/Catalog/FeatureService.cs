using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalog;

/// <summary>Features and their flags.</summary>
internal sealed class FeatureService(CatalogWriter writer, RuntimeRegistry runtimes, TimeProvider time)
{
    private static readonly (string, FeatureType)[] FeatureTypes = [("boolean", FeatureType.Boolean), ("event", FeatureType.Event), ("trait", FeatureType.Trait)];

    public async Task<FeatureRecord> CreateAsync(RequestScope scope, FeatureRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var name = Validate.Required(request.Name, "name");
        var type = Validate.OneOf(request.FeatureType, "feature_type", FeatureTypes);
        CheckTypeFields(type, request, catalog);
        var key = Validate.Key(request.Flag?.Key ?? Validate.KeyFromName(name), request.Flag?.Key is null ? "name" : "flag.key");
        var now = time.GetUtcNow();
        var featureId = Ids.New("feat");
        var flag = new FlagRecord
        {
            Id = Ids.New("flag"),
            Key = key,
            Name = Validate.Bounded(request.Flag?.Name, "flag.name") ?? name,
            Description = Validate.Bounded(request.Flag?.Description, "flag.description"),
            DefaultValue = request.Flag?.DefaultValue ?? false,
            FeatureId = featureId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var feature = new FeatureRecord
        {
            Id = featureId,
            Name = name,
            Description = Validate.Bounded(request.Description, "description"),
            FeatureType = type,
            EventSubtype = type == FeatureType.Event ? request.EventSubtype : null,
            TraitId = type == FeatureType.Trait ? request.TraitId : null,
            FlagId = flag.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                if (await ResourceStore.KeyTakenAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.Flag, key, flag.Id).ConfigureAwait(false))
                {
                    Errors.Conflict("flag.key", $"a flag with key '{key}' already exists");
                }

                await writer.PutAsync(connection, transaction, scope, ResourceKinds.Flag, flag.Id, flag.Key, null, null, flag).ConfigureAwait(false);
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.Feature, feature.Id, null, null, null, feature).ConfigureAwait(false);
                return feature;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<FeatureRecord> UpdateAsync(RequestScope scope, string featureId, FeatureRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var before = await GetAsync(scope, featureId, cancellationToken).ConfigureAwait(false);
        var type = request.FeatureType is null ? before.FeatureType : Validate.OneOf(request.FeatureType, "feature_type", FeatureTypes);
        var merged = request with { EventSubtype = request.EventSubtype ?? before.EventSubtype, TraitId = request.TraitId ?? before.TraitId };
        CheckTypeFields(type, merged, catalog);
        var after = before with
        {
            Name = request.Name is null ? before.Name : Validate.Required(request.Name, "name"),
            Description = request.Description is null ? before.Description : Validate.Bounded(request.Description, "description"),
            FeatureType = type,
            EventSubtype = type == FeatureType.Event ? merged.EventSubtype : null,
            TraitId = type == FeatureType.Trait ? merged.TraitId : null,
            UpdatedAt = time.GetUtcNow(),
        };
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.Feature, after.Id, null, null, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(RequestScope scope, string featureId, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var feature = await writer.Store.GetAsync<FeatureRecord>(scope.EnvironmentId, ResourceKinds.Feature, featureId, cancellationToken).ConfigureAwait(false);
        if (feature is null)
        {
            return false;
        }

        var flag = catalog.FlagsById.GetValueOrDefault(feature.FlagId);
        var entitlements = catalog.EntitlementsByFeature.GetValueOrDefault(featureId) ?? [];
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                // The feature takes its flag and the plan entitlements granting it along.
                foreach (var entitlement in entitlements)
                {
                    await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.PlanEntitlement, entitlement.Id, entitlement).ConfigureAwait(false);
                }

                if (flag is not null)
                {
                    await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.Flag, flag.Id, flag).ConfigureAwait(false);
                }

                await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.Feature, feature.Id, feature).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<FeatureRecord> GetAsync(RequestScope scope, string featureId, CancellationToken cancellationToken) =>
        await writer.Store.GetAsync<FeatureRecord>(scope.EnvironmentId, ResourceKinds.Feature, featureId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "feature not found");

    public async Task<FlagRecord> GetFlagAsync(RequestScope scope, string flagId, CancellationToken cancellationToken) =>
        await writer.Store.GetAsync<FlagRecord>(scope.EnvironmentId, ResourceKinds.Flag, flagId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "flag not found");

    public async Task<FlagRecord> UpdateRulesAsync(RequestScope scope, string flagId, FlagRulesRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var before = await GetFlagAsync(scope, flagId, cancellationToken).ConfigureAwait(false);
        if (request.Rules is null)
        {
            Errors.BadRequest("rules", "is required (send [] to remove every rule)");
        }

        if (request.Rules.Count > 500)
        {
            Errors.BadRequest("rules", "at most 500 rules per flag");
        }

        var after = before with
        {
            Rules = [.. request.Rules.Select((r, i) => ConditionValidation.Rule(r, $"rules[{i}]", catalog))],
            UpdatedAt = time.GetUtcNow(),
        };
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.Flag, after.Id, after.Key, null, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static void CheckTypeFields(FeatureType type, FeatureRequest request, CatalogSnapshot catalog)
    {
        if (type == FeatureType.Event)
        {
            Validate.Required(request.EventSubtype, "event_subtype");
        }

        if (type == FeatureType.Trait && (request.TraitId is null || !catalog.TraitsById.ContainsKey(request.TraitId)))
        {
            Errors.BadRequest("trait_id", "must name an existing company trait definition for a trait feature");
        }
    }
}
