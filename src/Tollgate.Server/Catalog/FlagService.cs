using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalog;

/// <summary>
/// Flags on their own (Schematic's <c>POST/PUT/DELETE /flags</c>): a flag may exist without a feature, and its key, name,
/// description and default may change after it was made. A feature has at most one live flag (its
/// <see cref="FeatureRecord.FlagId"/>): plan entitlements and overrides of the feature compile into that flag's rules.
/// Every write goes through <see cref="CatalogWriter"/>, so checks see it once it returns, on every node through the
/// change feed.
/// </summary>
internal sealed class FlagService(CatalogWriter writer, RuntimeRegistry runtimes, TimeProvider time)
{
    private static readonly (string, string)[] FlagTypes = [("boolean", "boolean")];

    public async Task<FlagRecord> CreateAsync(RequestScope scope, FlagRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var name = Validate.Required(request.Name, "name");
        var key = Validate.Key(request.Key, "key");
        if (request.FlagType is not null)
        {
            Validate.OneOf(request.FlagType, "flag_type", FlagTypes);
        }

        var feature = request.FeatureId is null ? null : FeatureWithoutFlag(catalog, request.FeatureId, null);
        var now = time.GetUtcNow();
        var flag = new FlagRecord
        {
            Id = Ids.New("flag"),
            Key = key,
            Name = Validate.Bounded(name, "name")!,
            Description = Validate.Bounded(request.Description, "description"),
            DefaultValue = request.DefaultValue ?? false,
            FeatureId = feature?.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await EnsureKeyFreeAsync(connection, transaction, scope, key, flag.Id).ConfigureAwait(false);
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.Flag, flag.Id, flag.Key, null, null, flag).ConfigureAwait(false);
                if (feature is not null)
                {
                    await writer.PutAsync(connection, transaction, scope, ResourceKinds.Feature, feature.Id, null, null, feature, feature with { FlagId = flag.Id, UpdatedAt = now })
                        .ConfigureAwait(false);
                }

                return flag;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes a flag's key, name, description or default. A flag without a feature may be given one that has no live
    /// flag; a flag's feature never changes to another (its entitlements' rules would move with it unseen).
    /// </summary>
    public async Task<FlagRecord> UpdateAsync(RequestScope scope, string flagId, FlagRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var before = await writer.Store.GetAsync<FlagRecord>(scope.EnvironmentId, ResourceKinds.Flag, flagId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "flag not found");
        if (request.FlagType is not null)
        {
            Validate.OneOf(request.FlagType, "flag_type", FlagTypes);
        }

        FeatureRecord? feature = null;
        if (request.FeatureId is { } featureId && featureId != before.FeatureId)
        {
            if (before.FeatureId is not null)
            {
                Errors.Unprocessable("feature_id", "a flag's feature cannot change; delete the flag and create one for the other feature");
            }

            feature = FeatureWithoutFlag(catalog, featureId, before.Id);
        }

        var now = time.GetUtcNow();
        var after = before with
        {
            Key = request.Key is null ? before.Key : Validate.Key(request.Key, "key"),
            Name = request.Name is null ? before.Name : Validate.Bounded(Validate.Required(request.Name, "name"), "name")!,
            Description = request.Description is null ? before.Description : Validate.Bounded(request.Description, "description"),
            DefaultValue = request.DefaultValue ?? before.DefaultValue,
            FeatureId = feature?.Id ?? before.FeatureId,
            UpdatedAt = now,
        };
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                if (after.Key != before.Key)
                {
                    await EnsureKeyFreeAsync(connection, transaction, scope, after.Key, after.Id).ConfigureAwait(false);
                }

                await writer.PutAsync(connection, transaction, scope, ResourceKinds.Flag, after.Id, after.Key, null, before, after).ConfigureAwait(false);
                if (feature is not null)
                {
                    await writer.PutAsync(connection, transaction, scope, ResourceKinds.Feature, feature.Id, null, null, feature, feature with { FlagId = after.Id, UpdatedAt = now })
                        .ConfigureAwait(false);
                }

                return after;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a flag. Its feature stays, without a flag: checks of the key answer as for an unknown flag, and a new
    /// flag may be created for the feature.
    /// </summary>
    public async Task<bool> DeleteAsync(RequestScope scope, string flagId, CancellationToken cancellationToken)
    {
        var flag = await writer.Store.GetAsync<FlagRecord>(scope.EnvironmentId, ResourceKinds.Flag, flagId, cancellationToken).ConfigureAwait(false);
        if (flag is null)
        {
            return false;
        }

        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.Flag, flag.Id, flag).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The feature named, which must exist and have no live flag but <paramref name="exceptFlagId"/>.</summary>
    private static FeatureRecord FeatureWithoutFlag(CatalogSnapshot catalog, string featureId, string? exceptFlagId)
    {
        if (!catalog.Features.TryGetValue(featureId, out var feature))
        {
            Errors.BadRequest("feature_id", "must name an existing feature");
        }

        if (catalog.FlagsById.ContainsKey(feature.FlagId) && feature.FlagId != exceptFlagId)
        {
            Errors.Conflict("feature_id", $"the feature already has flag {feature.FlagId}; a feature has one flag");
        }

        return feature;
    }

    private static async Task EnsureKeyFreeAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, RequestScope scope, string key, string flagId)
    {
        if (await ResourceStore.KeyTakenAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.Flag, key, flagId).ConfigureAwait(false))
        {
            Errors.Conflict("key", $"a flag with key '{key}' already exists");
        }
    }
}
