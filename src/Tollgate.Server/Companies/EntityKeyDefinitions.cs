using System.Text;
using Dapper;
using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>A key name used by companies or users (<c>EntityKeyDefinitionResponseData</c>).</summary>
public sealed record EntityKeyDefinitionResponse(string Id, string EntityType, string Key, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// Entity key definitions (<c>/entity-key-definitions</c>). Tollgate defines a key name by using it: the definitions are
/// the distinct (entity type, key name) pairs of <c>entity_keys</c>, read in SQL. A definition's id encodes the pair
/// (<c>ekdf_</c>, c or u, the name in hex), its creation time is that of the oldest entity carrying it and its update
/// time that of the newest change of one. Deleting a definition removes the key from every entity that has it — an
/// audited write of each — and is refused when it would leave an entity with no key to be found by.
/// </summary>
internal sealed class EntityKeyDefinitions(ResourceStore store, AuditLog audit, ChangeFeed changes, TimeProvider time)
{
    private const string Prefix = "ekdf_";

    /// <summary>The definitions of the environment, by entity type and name, optionally filtered.</summary>
    public async Task<IReadOnlyList<EntityKeyDefinitionResponse>> ListAsync(
        string environmentId, string? entityType, IReadOnlyCollection<string> ids, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string EntityType, string Key, long CreatedAt, long UpdatedAt)>(
            new CommandDefinition(
                """
                SELECT k.entity_type, k.key, MIN(r.created_at), MAX(r.updated_at)
                FROM entity_keys k JOIN resources r ON r.environment_id = k.environment_id AND r.id = k.entity_id
                WHERE k.environment_id = @environmentId AND (@entityType IS NULL OR k.entity_type = @entityType)
                GROUP BY k.entity_type, k.key ORDER BY k.entity_type, k.key
                """,
                new { environmentId, entityType },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows
            .Select(r => new EntityKeyDefinitionResponse(IdOf(r.EntityType, r.Key), r.EntityType, r.Key, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt)))
            .Where(d => (ids.Count == 0 || ids.Contains(d.Id)) && (text is null || d.Key.Contains(text, StringComparison.OrdinalIgnoreCase)))];
    }

    /// <summary>How many entity keys (key-value pairs) there are, of one definition and/or one entity type.</summary>
    public async Task<long> CountKeysAsync(string environmentId, string? definitionId, string? entityType, CancellationToken cancellationToken)
    {
        string? key = null;
        if (definitionId is not null)
        {
            if (Parse(definitionId) is not { } pair || (entityType is not null && entityType != pair.EntityType))
            {
                return 0;
            }

            (entityType, key) = pair;
        }

        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(
                "SELECT COUNT(*) FROM entity_keys WHERE environment_id = @environmentId AND (@entityType IS NULL OR entity_type = @entityType) AND (@key IS NULL OR key = @key)",
                new { environmentId, entityType, key },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Removes the key from every entity that has it; false when no entity has it.</summary>
    public async Task<bool> DeleteAsync(RequestScope scope, string definitionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (Parse(definitionId) is not { } pair)
        {
            return false;
        }

        var (entityType, key) = pair;
        var changed = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var entityIds = (await connection.QueryAsync<string>(
                    "SELECT entity_id FROM entity_keys WHERE environment_id = @EnvironmentId AND entity_type = @entityType AND key = @key ORDER BY entity_id",
                    new { scope.EnvironmentId, entityType, key },
                    transaction).ConfigureAwait(false)).ToList();
                foreach (var id in entityIds)
                {
                    if (entityType == EntityKeys.Company)
                    {
                        await RemoveAsync<CompanyRecord>(connection, transaction, scope, ResourceKinds.Company, id, key, (c, keys, now) => c with { Keys = keys, UpdatedAt = now }).ConfigureAwait(false);
                    }
                    else
                    {
                        await RemoveAsync<UserRecord>(connection, transaction, scope, ResourceKinds.User, id, key, (u, keys, now) => u with { Keys = keys, UpdatedAt = now }).ConfigureAwait(false);
                    }
                }

                return entityIds;
            },
            cancellationToken).ConfigureAwait(false);
        if (changed.Count > 0)
        {
            await changes.PublishAsync(new Change(scope.EnvironmentId, entityType == EntityKeys.Company ? ChangeKind.Company : ChangeKind.User, changed)).ConfigureAwait(false);
        }

        return changed.Count > 0;
    }

    private async Task RemoveAsync<T>(
        System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction,
        RequestScope scope,
        string kind,
        string id,
        string key,
        Func<T, IReadOnlyDictionary<string, string>, DateTimeOffset, T> withKeys)
        where T : class, IEntityRecord
    {
        var before = await store.GetForUpdateAsync<T>(connection, transaction, scope.EnvironmentId, kind, id).ConfigureAwait(false);
        if (before is null)
        {
            return;
        }

        var keys = before.Keys.Where(k => k.Key != key).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            Errors.Conflict("entity_key_definition_id", $"the {kind} {id} has no other key; give it another key before deleting this one");
        }

        var after = withKeys(before, keys, time.GetUtcNow());
        await EntityKeys.ReplaceAsync(connection, transaction, scope.EnvironmentId, kind == ResourceKinds.Company ? EntityKeys.Company : EntityKeys.User, id, keys).ConfigureAwait(false);
        await store.PutAsync(connection, transaction, scope.EnvironmentId, kind, id, null, null, after).ConfigureAwait(false);
        await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "update", kind, id, kind == ResourceKinds.Company ? id : null, before, after).ConfigureAwait(false);
    }

    /// <summary>The id of a definition.</summary>
    public static string IdOf(string entityType, string key) =>
        Prefix + (entityType == EntityKeys.Company ? "c_" : "u_") + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(key));

    private static (string EntityType, string Key)? Parse(string id)
    {
        if (id.Length < Prefix.Length + 2 || !id.StartsWith(Prefix, StringComparison.Ordinal) || id[Prefix.Length + 1] != '_')
        {
            return null;
        }

        var type = id[Prefix.Length] switch { 'c' => EntityKeys.Company, 'u' => EntityKeys.User, _ => null };
        var hex = id[(Prefix.Length + 2)..];
        if (type is null || hex.Length == 0 || hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return (type, Encoding.UTF8.GetString(Convert.FromHexString(hex)));
    }
}
