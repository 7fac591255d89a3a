using System.Text.Json;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>
/// Company memberships, entity key definitions and counts, entity trait values and counts, and the changes, deletion and
/// usage of trait definitions at Schematic's paths.
/// </summary>
internal static class EntityEndpoints
{
    private static readonly (string, string)[] EntityTypes = [("company", EntityKeys.Company), ("user", EntityKeys.User)];

    public static void Map(RouteGroupBuilder api)
    {
        var memberships = api.MapGroup("/company-memberships").WithTags("Companies");
        memberships.MapGet("/", async (HttpContext http, CompanyMemberships service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var all = await service.ListAsync(http.Scope(), query.One("company_id"), query.One("user_id"), ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<CompanyMembershipResponse>>([.. all.Skip(paging.Offset).Take(paging.Limit)], query.PageParams()));
        });
        memberships.MapPost("/", async (HttpContext http, MembershipRequest body, CompanyMemberships service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetOrCreateAsync(http.Scope(), body.CompanyId, body.UserId, ct).ConfigureAwait(false))));
        memberships.MapDelete("/{membershipId}", async (HttpContext http, string membershipId, CompanyMemberships service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), membershipId, ct).ConfigureAwait(false), "company membership"));

        var keyDefinitions = api.MapGroup("/entity-key-definitions").WithTags("Companies");
        keyDefinitions.MapGet("/", async (HttpContext http, EntityKeyDefinitions definitions, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var all = await ListDefinitionsAsync(http, query, definitions, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<EntityKeyDefinitionResponse>>([.. all.Skip(paging.Offset).Take(paging.Limit)], query.PageParams()));
        });
        keyDefinitions.MapGet("/count", async (HttpContext http, EntityKeyDefinitions definitions, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            _ = query.Paging;
            var all = await ListDefinitionsAsync(http, query, definitions, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(all.Count), query.PageParams()));
        });
        keyDefinitions.MapDelete("/{definitionId}", async (HttpContext http, string definitionId, EntityKeyDefinitions definitions, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await definitions.DeleteAsync(http.Scope(), definitionId, ct).ConfigureAwait(false), "entity key definition"))
            .WithSummary("Remove the key from every company (or user) that has it; refused if one would be left without a key");
        api.MapGet("/entity-keys/count", async (HttpContext http, EntityKeyDefinitions definitions, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            _ = query.Paging;
            var count = await definitions.CountKeysAsync(http.Scope().EnvironmentId, query.One("definition_id"), EntityType(query), ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.PageParams()));
        }).WithTags("Companies");

        var traits = api.MapGroup(string.Empty).WithTags("Traits");
        traits.MapGet("/entity-trait-values", async (HttpContext http, ResourceStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var definitionId = Validate.Required(query.One("definition_id"), "definition_id");
            var text = query.One("q");
            var values = (await TraitValuesAsync(http, store, definitionId, ct).ConfigureAwait(false))
                .Where(v => text is null || v.Contains(text, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .Skip(paging.Offset)
                .Take(paging.Limit)
                .Select(v => new TraitValueResponse(definitionId, v));
            return TypedResults.Ok(new Envelope<IReadOnlyList<TraitValueResponse>>([.. values], query.PageParams()));
        }).WithSummary("The distinct values companies (or users) hold for a trait");
        traits.MapGet("/entity-traits/count", async (HttpContext http, ResourceStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            _ = query.Paging;
            var entityType = EntityType(query);
            var definitionId = query.One("definition_id");
            var catalog = await http.CatalogAsync(ct).ConfigureAwait(false);
            long count = 0;
            foreach (var definition in catalog.TraitsById.Values.Where(d => definitionId is null || d.Id == definitionId))
            {
                if (entityType is null || entityType == (definition.EntityType == Engine.Model.EntityType.Company ? EntityKeys.Company : EntityKeys.User))
                {
                    count += (await TraitValuesAsync(http, store, definition.Id, ct).ConfigureAwait(false)).Count;
                }
            }

            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.PageParams()));
        }).WithSummary("How many trait values companies and users hold (of one definition, or one entity type)");
        traits.MapPut("/entity-trait-definitions/{traitId}", async (HttpContext http, string traitId, TraitUpdateRequest body, TraitDefinitionService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(TraitDefinitionResponse.From(await service.UpdateAsync(http.Scope(), traitId, body.DisplayName, body.TraitType, ct).ConfigureAwait(false)))));
        traits.MapDelete("/entity-trait-definitions/{traitId}", async (HttpContext http, string traitId, TraitDefinitionService service, ResourceStore store, CancellationToken ct) =>
        {
            var overrides = await OverridesNamingAsync(http, store, traitId, ct).ConfigureAwait(false);
            return CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), traitId, overrides, ct).ConfigureAwait(false), "trait definition");
        }).WithSummary("Delete a trait definition nothing uses");
        traits.MapGet("/entity-trait-definitions/{traitId}/usage", async (HttpContext http, string traitId, ResourceStore store, CancellationToken ct) =>
        {
            var catalog = await http.CatalogAsync(ct).ConfigureAwait(false);
            if (!catalog.TraitsById.ContainsKey(traitId))
            {
                Errors.NotFound("trait definition");
            }

            var usage = TraitDefinitionService.UsageOf(catalog, traitId);
            var overrides = await OverridesNamingAsync(http, store, traitId, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(new TraitUsageResponse(0, overrides, usage.FeatureCount, usage.PlanEntitlementCount, 0, usage.RuleConditionCount)));
        }).WithSummary("Where a trait definition is used (Tollgate has no checkout fields nor plan traits: those count 0)");
    }

    private static string? EntityType(ListQuery query) => query.One("entity_type") is { } type ? Validate.OneOf(type, "entity_type", EntityTypes) : null;

    private static Task<IReadOnlyList<EntityKeyDefinitionResponse>> ListDefinitionsAsync(HttpContext http, ListQuery query, EntityKeyDefinitions definitions, CancellationToken cancellationToken) =>
        definitions.ListAsync(http.Scope().EnvironmentId, EntityType(query), [.. query.Many("ids")], query.One("q"), cancellationToken);

    private static async Task<int> OverridesNamingAsync(HttpContext http, ResourceStore store, string traitId, CancellationToken cancellationToken) =>
        (await store.ListAllAsync<CompanyOverrideRecord>(http.Scope().EnvironmentId, ResourceKinds.CompanyOverride, cancellationToken).ConfigureAwait(false))
            .Count(o => o.ValueTraitId == traitId);

    /// <summary>Every value (as text) the companies or users of the environment hold for the definition's trait.</summary>
    private static async Task<IReadOnlyList<string>> TraitValuesAsync(HttpContext http, ResourceStore store, string definitionId, CancellationToken cancellationToken)
    {
        var catalog = await http.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.TraitsById.TryGetValue(definitionId, out var definition))
        {
            return [];
        }

        var environmentId = http.Scope().EnvironmentId;
        IEnumerable<IEntityRecord> entities = definition.EntityType == Engine.Model.EntityType.Company
            ? await store.ListAllAsync<CompanyRecord>(environmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false)
            : await store.ListAllAsync<UserRecord>(environmentId, ResourceKinds.User, cancellationToken).ConfigureAwait(false);
        return [.. entities
            .Select(e => e.Traits.TryGetValue(definition.Name, out var value) ? value : (JsonElement?)null)
            .OfType<JsonElement>()
            .Where(v => v.ValueKind is not JsonValueKind.Null)
            .Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())];
    }

    /// <summary>Body of <c>POST /company-memberships</c>.</summary>
    public sealed record MembershipRequest(string? CompanyId, string? UserId);

    /// <summary>Body of <c>PUT /entity-trait-definitions/{id}</c>.</summary>
    public sealed record TraitUpdateRequest(string? DisplayName, string? TraitType);

    /// <summary>One value of a trait (<c>EntityTraitValue</c>).</summary>
    public sealed record TraitValueResponse(string DefinitionId, string Value);

    /// <summary>Where a trait definition is used (<c>EntityTraitDefinitionUsage</c>).</summary>
    public sealed record TraitUsageResponse(int CheckoutFieldConfigCount, int CompanyOverrideCount, int FeatureCount, int PlanEntitlementCount, int PlanTraitCount, int RuleConditionCount);
}
