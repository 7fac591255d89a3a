using Tollgate.Server.Catalog;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>
/// Trait definitions, at Tollgate's <c>/trait-definitions</c> and at Schematic's <c>/entity-trait-definitions</c>: the
/// same definitions and answers; creating takes Tollgate's body at the first and Schematic's (get or create) at the
/// second. Lists filter by <c>entity_type</c>, <c>trait_type</c> (or <c>trait_types</c>), <c>ids</c> and <c>q</c> (a
/// substring of the name or display name).
/// </summary>
internal static class TraitDefinitionEndpoints
{
    private static readonly (string, Engine.Model.EntityType)[] EntityTypes = [("company", Engine.Model.EntityType.Company), ("user", Engine.Model.EntityType.User)];

    public static void Map(RouteGroupBuilder api)
    {
        var traits = MapShared(api, "/trait-definitions");
        traits.MapPost("/", async (HttpContext http, TraitDefinitionRequest body, TraitDefinitionService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(TraitDefinitionResponse.From(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false))), statusCode: StatusCodes.Status201Created));

        var entityTraits = MapShared(api, "/entity-trait-definitions");
        entityTraits.MapPost("/", async (HttpContext http, EntityTraitDefinitionRequest body, TraitDefinitionService service, CancellationToken ct) =>
        {
            var (definition, created) = await service.GetOrCreateAsync(http.Scope(), body, ct).ConfigureAwait(false);
            return TypedResults.Json(Envelope.Of(TraitDefinitionResponse.From(definition)), statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });
    }

    private static RouteGroupBuilder MapShared(RouteGroupBuilder api, string path)
    {
        var group = api.MapGroup(path).WithTags("Traits");
        group.MapListAndCount<TraitDefinitionRecord, TraitDefinitionResponse>(ResourceKinds.TraitDefinition, Select, (t, _) => TraitDefinitionResponse.From(t));
        group.MapGet("/{traitId}", async (HttpContext http, string traitId, ResourceStore store, CancellationToken ct) =>
        {
            var definition = await store.GetAsync<TraitDefinitionRecord>(http.Scope().EnvironmentId, ResourceKinds.TraitDefinition, traitId, ct).ConfigureAwait(false);
            return definition is null
                ? Results.Json(new { error = "trait definition not found" }, statusCode: StatusCodes.Status404NotFound)
                : TypedResults.Ok(Envelope.Of(TraitDefinitionResponse.From(definition)));
        });
        return group;
    }

    private static ValueTask<Selection<TraitDefinitionRecord>> Select(HttpContext http, ListQuery query, CancellationToken cancellationToken)
    {
        var entityTypeName = query.One("entity_type");
        Engine.Model.EntityType? entityType = entityTypeName is null ? null : Validate.OneOf(entityTypeName, "entity_type", EntityTypes);
        var traitTypes = query.Many("trait_types").Append(query.One("trait_type")).OfType<string>().ToList();
        foreach (var traitType in traitTypes)
        {
            Validate.OneOf(traitType, "trait_type", TraitTypes.All);
        }

        var ids = query.Many("ids");
        var text = query.One("q");
        IReadOnlyCollection<string>? idsCondition = ids.Count == 0 ? null : ids;
        if (entityType is null && traitTypes.Count == 0 && text is null)
        {
            return ValueTask.FromResult(new Selection<TraitDefinitionRecord>(null, null, idsCondition));
        }

        return ValueTask.FromResult(new Selection<TraitDefinitionRecord>(
            null,
            t => (entityType is null || t.EntityType == entityType)
                && (traitTypes.Count == 0 || traitTypes.Contains(TraitTypes.Of(t.ComparableType)))
                && (text is null || t.Name.Contains(text, StringComparison.OrdinalIgnoreCase) || (t.DisplayName?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)),
            idsCondition));
    }
}
