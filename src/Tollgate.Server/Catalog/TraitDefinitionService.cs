using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tollgate.Engine.Model;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalog;

/// <summary>Trait definitions: declared explicitly, or created on first sight of a trait (typed by its JSON value).</summary>
internal sealed partial class TraitDefinitionService(CatalogWriter writer, RuntimeRegistry runtimes, TimeProvider time)
{
    /// <summary>
    /// The most trait definitions an environment may hold for events to create one more: past it, an event naming a
    /// new trait is refused (definitions made with <c>POST /trait-definitions</c> are not limited, and traits already
    /// defined still update). Each definition costs memory in every node's catalog, so a stream of events naming
    /// random traits must not grow it without bound.
    /// </summary>
    public const int MaxDefinitionsMadeByEvents = 500;

    private static readonly (string, EntityType)[] EntityTypes = [("company", EntityType.Company), ("user", EntityType.User)];

    private static readonly (string, ComparableType)[] ComparableTypes =
        [("string", ComparableType.String), ("int", ComparableType.Int), ("bool", ComparableType.Bool), ("date", ComparableType.Date)];

    public Task<TraitDefinitionRecord> CreateAsync(RequestScope scope, TraitDefinitionRequest request, CancellationToken cancellationToken) =>
        CreateAsync(
            scope,
            new TraitDefinitionRecord
            {
                Id = Ids.New("trait"),
                Name = Validate.Required(request.Name, "name"),
                EntityType = Validate.OneOf(request.EntityType, "entity_type", EntityTypes),
                ComparableType = Validate.OneOf(request.ComparableType, "comparable_type", ComparableTypes),
                CreatedAt = time.GetUtcNow(),
            },
            cancellationToken);

    /// <summary>
    /// Schematic's get-or-create: the definition of the entity type's trait named by the hierarchy (segments joined by
    /// '.'), created when missing. Answers whether it was created; an existing one of another type is a 409.
    /// </summary>
    public async Task<(TraitDefinitionRecord Definition, bool Created)> GetOrCreateAsync(
        RequestScope scope, EntityTraitDefinitionRequest request, CancellationToken cancellationToken)
    {
        var entityType = Validate.OneOf(request.EntityType, "entity_type", EntityTypes);
        var comparableType = Validate.OneOf(request.TraitType, "trait_type", TraitTypes.All);
        if (request.Hierarchy is not { Count: > 0 })
        {
            Errors.BadRequest("hierarchy", "give the trait's name, e.g. [\"seats\"]");
        }

        var segments = new List<string>(request.Hierarchy.Count);
        for (var i = 0; i < request.Hierarchy.Count; i++)
        {
            segments.Add(Validate.Required(request.Hierarchy[i], $"hierarchy[{i}]"));
        }

        var name = Validate.Bounded(string.Join('.', segments), "hierarchy")!;
        var displayName = Validate.Bounded(request.DisplayName, "display_name");
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.TraitsByName.TryGetValue((entityType, name), out var existing))
        {
            if (existing.ComparableType != comparableType)
            {
                Errors.Conflict("trait_type", $"the {request.EntityType} trait '{name}' exists as {TraitTypes.Of(existing.ComparableType)}");
            }

            return (existing, false);
        }

        var definition = new TraitDefinitionRecord
        {
            Id = Ids.New("trait"),
            Name = name,
            DisplayName = displayName,
            EntityType = entityType,
            ComparableType = comparableType,
            CreatedAt = time.GetUtcNow(),
        };
        return (await CreateAsync(scope, definition, cancellationToken).ConfigureAwait(false), true);
    }

    private async Task<TraitDefinitionRecord> CreateAsync(RequestScope scope, TraitDefinitionRecord definition, CancellationToken cancellationToken) =>
        await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                var key = UniqueKey(definition.EntityType, definition.Name);
                if (await ResourceStore.KeyTakenAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.TraitDefinition, key, definition.Id).ConfigureAwait(false))
                {
                    Errors.Conflict("name", $"a {(definition.EntityType == EntityType.Company ? "company" : "user")} trait named '{definition.Name}' already exists");
                }

                await writer.PutAsync(connection, transaction, scope, ResourceKinds.TraitDefinition, definition.Id, key, null, null, definition).ConfigureAwait(false);
                return definition;
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Creates, inside the caller's transaction, a definition for every trait name not yet defined (numbers compare as
    /// int, booleans as bool, anything else as string). Returns whether the catalog changed. The caller reads
    /// <paramref name="catalog"/> before opening its transaction: loading it inside would take a second pooled
    /// connection while holding one, and concurrent writers holding the whole pool would wait on each other for ever.
    /// For an event's write (<paramref name="eventTraitsField"/> names its traits, e.g. <c>body.company.traits</c>) a
    /// new definition past <see cref="MaxDefinitionsMadeByEvents"/> is refused with a 400 naming the trait.
    /// </summary>
    public async Task<bool> EnsureDefinedAsync(
        DbConnection connection,
        DbTransaction transaction,
        RequestScope scope,
        CatalogSnapshot catalog,
        EntityType entityType,
        IReadOnlyDictionary<string, JsonElement> traits,
        string? eventTraitsField = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var changed = false;
        long? defined = null;
        foreach (var (name, value) in traits)
        {
            if (catalog.TraitsByName.ContainsKey((entityType, name)))
            {
                continue;
            }

            var key = UniqueKey(entityType, name);
            if (await ResourceStore.KeyTakenAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.TraitDefinition, key, string.Empty).ConfigureAwait(false))
            {
                continue;
            }

            if (eventTraitsField is not null)
            {
                // Counted in the transaction, once per write that defines anything (rare: most traits are known).
                defined ??= await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM resources WHERE environment_id = @environmentId AND kind = @kind",
                    new { environmentId = scope.EnvironmentId, kind = ResourceKinds.TraitDefinition },
                    transaction).ConfigureAwait(false);
                if (defined >= MaxDefinitionsMadeByEvents)
                {
                    Errors.BadRequest(
                        $"{eventTraitsField}.{name}",
                        $"a new trait, and the environment has {MaxDefinitionsMadeByEvents} trait definitions, the most events may create; define it with POST /trait-definitions");
                }

                defined++;
            }

            var definition = new TraitDefinitionRecord
            {
                Id = Ids.New("trait"),
                Name = name,
                EntityType = entityType,
                ComparableType = value.ValueKind switch
                {
                    JsonValueKind.Number => ComparableType.Int,
                    JsonValueKind.True or JsonValueKind.False => ComparableType.Bool,
                    _ => ComparableType.String,
                },
                CreatedAt = time.GetUtcNow(),
            };
            await writer.PutAsync(connection, transaction, scope, ResourceKinds.TraitDefinition, definition.Id, key, null, null, definition).ConfigureAwait(false);
            changed = true;
        }

        return changed;
    }

    private static string UniqueKey(EntityType entityType, string name) => $"{(entityType == EntityType.Company ? "company" : "user")}:{name}";
}
