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

    // How many key values starting with the text are read: enough for Limit entities with a few keys each.
    private const int PrefixReads = 50;

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

        var lower = query.ToLowerInvariant();
        var prefix = lower.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        // Values starting with the text are read from the index of lower-cased values (migration 20) and at most
        // PrefixReads of them: SQLite ranges over it, PostgreSQL matches LIKE against its text_pattern_ops. The id is
        // looked up by its own index. Exact matches (of value or id) rank first.
        var startsWith = database.Dialect.IsPostgres
            ? @"LOWER(value) LIKE @prefix ESCAPE '\'"
            : "LOWER(value) >= @lower AND LOWER(value) < @upper";
        // The id lookup goes by the (environment, entity id) index, not by reading every key of the type.
        var ofType = $"{database.Dialect.NotIndexed("entity_type")} = @entityType";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string EntityId, int Rank)>(
            new CommandDefinition(
                $"""
                SELECT entity_id AS EntityId, MIN(rank) AS Rank FROM (
                    SELECT entity_id, 0 AS rank FROM entity_keys
                    WHERE environment_id = @environmentId AND entity_id = @query AND {ofType}
                    UNION ALL
                    SELECT entity_id, rank FROM (
                        SELECT entity_id, CASE WHEN value = @query THEN 0 ELSE 1 END AS rank FROM entity_keys
                        WHERE environment_id = @environmentId AND entity_type = @entityType AND {startsWith}
                        LIMIT {PrefixReads}) AS starting) AS found
                GROUP BY entity_id
                ORDER BY MIN(rank), entity_id
                LIMIT {Limit}
                """,
                new { environmentId, entityType, query, prefix, lower, upper = lower + char.MaxValue },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.EntityId)];
    }

    private static List<ExplainedEntity> Ordered(List<string> ids, Dictionary<string, ExplainedEntity> found) =>
        [.. ids.Where(found.ContainsKey).Select(id => found[id])];

    private static ExplainedEntity Entity(string id, string? name, IReadOnlyDictionary<string, string> keys) =>
        new(id, string.IsNullOrWhiteSpace(name) ? keys.Values.FirstOrDefault() ?? id : name, keys);
}
