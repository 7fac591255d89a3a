using System.Data.Common;
using Dapper;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// The keys that identify companies and users (<c>{"id": "acme"}</c>): each (key, value) pair names at most one entity
/// of its type in an environment.
/// </summary>
public sealed class EntityKeys(Database database)
{
    /// <summary>The company entity type.</summary>
    public const string Company = "company";

    /// <summary>The user entity type.</summary>
    public const string User = "user";

    /// <summary>The entity that the first matching pair names (pairs are tried in order), or null.</summary>
    public async Task<string?> FindAsync(string environmentId, string entityType, IReadOnlyDictionary<string, string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (key, value) in keys)
        {
            var id = await connection.QuerySingleOrDefaultAsync<string>(
                new CommandDefinition(
                    "SELECT entity_id FROM entity_keys WHERE environment_id = @environmentId AND entity_type = @entityType AND key = @key AND value = @value",
                    new { environmentId, entityType, key, value },
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (id is not null)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>The same lookup, inside a write transaction.</summary>
    public static async Task<string?> FindAsync(DbConnection connection, DbTransaction transaction, string environmentId, string entityType, IReadOnlyDictionary<string, string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (key, value) in keys)
        {
            var id = await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT entity_id FROM entity_keys WHERE environment_id = @environmentId AND entity_type = @entityType AND key = @key AND value = @value",
                new { environmentId, entityType, key, value },
                transaction).ConfigureAwait(false);
            if (id is not null)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>The keys an entity had, with the given ones added or changed (an upsert never drops a key).</summary>
    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? existing, IReadOnlyDictionary<string, string> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var merged = new Dictionary<string, string>(existing ?? new Dictionary<string, string>());
        foreach (var (key, value) in changes)
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>Answers 409 if any of the keys already names another entity of the type.</summary>
    public static async Task EnsureFreeAsync(
        DbConnection connection, DbTransaction transaction, string environmentId, string entityType, string entityId, IReadOnlyDictionary<string, string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (key, value) in keys)
        {
            var owner = await FindAsync(connection, transaction, environmentId, entityType, new Dictionary<string, string> { [key] = value }).ConfigureAwait(false);
            if (owner is not null && owner != entityId)
            {
                Errors.Conflict($"keys.{key}", $"'{value}' already identifies another {entityType}");
            }
        }
    }

    /// <summary>Replaces the keys of an entity with <paramref name="keys"/>.</summary>
    public static async Task ReplaceAsync(DbConnection connection, DbTransaction transaction, string environmentId, string entityType, string entityId, IReadOnlyDictionary<string, string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await connection.ExecuteAsync(
            "DELETE FROM entity_keys WHERE environment_id = @environmentId AND entity_type = @entityType AND entity_id = @entityId",
            new { environmentId, entityType, entityId },
            transaction).ConfigureAwait(false);
        foreach (var (key, value) in keys)
        {
            await connection.ExecuteAsync(
                "INSERT INTO entity_keys (environment_id, entity_type, key, value, entity_id) VALUES (@environmentId, @entityType, @key, @value, @entityId)",
                new { environmentId, entityType, key, value, entityId },
                transaction).ConfigureAwait(false);
        }
    }
}
