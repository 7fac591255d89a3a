using Dapper;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Evaluation.Explain;

/// <summary>
/// Finds the companies or users to "check as" from what a person types: an id, or the start of one of their key
/// values (<c>acme</c> finds <c>{"id": "acme-eu"}</c> and <c>{"domain": "acme.com"}</c>), case-insensitive.
/// </summary>
internal sealed class SubjectSearch(Database database, ResourceStore store)
{
    /// <summary>At most this many matches.</summary>
    public const int Limit = 10;

    /// <summary>Companies matching <paramref name="text"/>, exact matches first.</summary>
    public async Task<IReadOnlyList<ExplainedEntity>> CompaniesAsync(string environmentId, string? text, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(environmentId, EntityKeys.Company, text, cancellationToken).ConfigureAwait(false);
        var records = await store.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, ids, cancellationToken).ConfigureAwait(false);
        return Ordered(ids, records.ToDictionary(r => r.Id, r => Entity(r.Id, r.Name, r.Keys), StringComparer.Ordinal));
    }

    /// <summary>Users matching <paramref name="text"/>, exact matches first.</summary>
    public async Task<IReadOnlyList<ExplainedEntity>> UsersAsync(string environmentId, string? text, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(environmentId, EntityKeys.User, text, cancellationToken).ConfigureAwait(false);
        var records = await store.GetManyAsync<UserRecord>(environmentId, ResourceKinds.User, ids, cancellationToken).ConfigureAwait(false);
        return Ordered(ids, records.ToDictionary(r => r.Id, r => Entity(r.Id, r.Name, r.Keys), StringComparer.Ordinal));
    }

    private async Task<List<string>> IdsAsync(string environmentId, string entityType, string? text, CancellationToken cancellationToken)
    {
        var query = text?.Trim() ?? string.Empty;
        if (query.Length == 0)
        {
            return [];
        }

        var prefix = query.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Exact value or id first, then values starting with the text; the primary key (environment, type, key, value)
        // serves the exact lookups, the prefix scan is bounded by the environment and type.
        var rows = await connection.QueryAsync<(string EntityId, int Rank)>(
            new CommandDefinition(
                $"""
                SELECT entity_id AS EntityId, MIN(CASE WHEN value = @query OR entity_id = @query THEN 0 ELSE 1 END) AS Rank
                FROM entity_keys
                WHERE environment_id = @environmentId AND entity_type = @entityType
                  AND (value = @query OR entity_id = @query OR LOWER(value) LIKE @prefix ESCAPE '\')
                GROUP BY entity_id
                ORDER BY Rank, entity_id
                LIMIT {Limit}
                """,
                new { environmentId, entityType, query, prefix },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.EntityId)];
    }

    private static List<ExplainedEntity> Ordered(List<string> ids, Dictionary<string, ExplainedEntity> found) =>
        [.. ids.Where(found.ContainsKey).Select(id => found[id])];

    private static ExplainedEntity Entity(string id, string? name, IReadOnlyDictionary<string, string> keys) =>
        new(id, string.IsNullOrWhiteSpace(name) ? keys.Values.FirstOrDefault() ?? id : name, keys);
}
