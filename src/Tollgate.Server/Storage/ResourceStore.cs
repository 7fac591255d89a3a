using System.Data.Common;
using Dapper;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Storage;

/// <summary>
/// Reads and writes JSON documents in the <c>resources</c> table, always within one environment. Reads open their own
/// connection; writes take the caller's transaction so several changes commit together.
/// </summary>
public sealed class ResourceStore(Database database, TimeProvider time)
{
    /// <summary>The database behind the store.</summary>
    public Database Database { get; } = database;

    /// <summary>A document by id, or null.</summary>
    public async Task<T?> GetAsync<T>(string environmentId, string kind, string id, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var data = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition(
                "SELECT data FROM resources WHERE environment_id = @environmentId AND kind = @kind AND id = @id",
                new { environmentId, kind, id },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return data is null ? null : StoredJson.Deserialize<T>(data);
    }

    /// <summary><see cref="GetAsync{T}"/> as one part of a <see cref="ReadBatch"/>.</summary>
    internal static Task<T?> GetIn<T>(ReadBatch batch, string environmentId, string kind, string id)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Add<string, T?>(
            p => $"SELECT data FROM resources WHERE environment_id = {p.Value(environmentId)} AND kind = {p.Value(kind)} AND id = {p.Value(id)}",
            rows => rows.Count == 0 ? null : StoredJson.Deserialize<T>(rows[0]));
    }

    /// <summary>
    /// Every document of a kind (of one parent when <paramref name="parentId"/> is set), oldest first, as
    /// <see cref="ListAsync{T}(string, string, string?, int, int, CancellationToken)"/> answers them: one part of a <see cref="ReadBatch"/>.
    /// </summary>
    internal Task<IReadOnlyList<T>> ListIn<T>(ReadBatch batch, string environmentId, string kind, string? parentId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Add<string, IReadOnlyList<T>>(
            p => $"""
                SELECT data FROM resources
                WHERE environment_id = {p.Value(environmentId)} AND kind = {p.Value(kind)}{(parentId is null ? "" : $" AND parent_id = {p.Value(parentId)}")}
                ORDER BY {ListOrder(Database.Dialect, parentId)}
                """,
            rows => [.. rows.Select(StoredJson.Deserialize<T>)]);
    }

    /// <summary>
    /// The list order, oldest first. Of one parent, the order's first term is one no index is chosen for
    /// (<see cref="SqlDialect.NotIndexed"/>): SQLite, without statistics, would otherwise walk the kind's whole list order
    /// (migration 51's index) to keep the parent's rows, every override of the environment to list one company's (50–100
    /// ms a cold company at 100,000 companies), instead of the parent's few rows by their index, sorted after.
    /// </summary>
    internal static string ListOrder(SqlDialect dialect, string? parentId)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return $"{(parentId is null ? "created_at" : dialect.NotIndexed("created_at"))}, {dialect.InsertionOrder}";
    }

    /// <summary>
    /// A document by id, or null, read inside the caller's transaction and held until it commits (PostgreSQL
    /// <c>FOR UPDATE</c>): what a writer reads in order to write it back. Two writers of one document, on one node or
    /// several, then take turns instead of both changing the same old version and losing one change.
    /// </summary>
    public async Task<T?> GetForUpdateAsync<T>(DbConnection connection, DbTransaction transaction, string environmentId, string kind, string id)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(connection);
        var data = await connection.QuerySingleOrDefaultAsync<string>(
            $"SELECT data FROM resources WHERE environment_id = @environmentId AND kind = @kind AND id = @id{Database.Dialect.ForUpdate}",
            new { environmentId, kind, id },
            transaction).ConfigureAwait(false);
        return data is null ? null : StoredJson.Deserialize<T>(data);
    }

    /// <summary>A document by its unique key, or null.</summary>
    public async Task<T?> GetByKeyAsync<T>(string environmentId, string kind, string key, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var data = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition(
                "SELECT data FROM resources WHERE environment_id = @environmentId AND kind = @kind AND key = @key",
                new { environmentId, kind, key },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return data is null ? null : StoredJson.Deserialize<T>(data);
    }

    /// <summary>A page of documents of a kind (optionally of one parent), oldest first.</summary>
    public Task<IReadOnlyList<T>> ListAsync<T>(
        string environmentId, string kind, string? parentId, int limit, int offset, CancellationToken cancellationToken) =>
        ListAsync<T>(environmentId, kind, parentId, null, limit, offset, cancellationToken);

    /// <summary>A page of documents of a kind (optionally of one parent, optionally only those of the given ids), oldest first.</summary>
    public Task<IReadOnlyList<T>> ListAsync<T>(
        string environmentId, string kind, string? parentId, IReadOnlyCollection<string>? ids, int limit, int offset, CancellationToken cancellationToken) =>
        ListAsync<T>(environmentId, kind, parentId, ids, null, limit, offset, cancellationToken);

    /// <summary>
    /// A page of documents of a kind (optionally of one parent, optionally only those of the given ids, optionally only
    /// those <paramref name="condition"/> keeps), oldest first. The page's ids are chosen first and their documents read
    /// after: a filter that keeps few rows walks the list order in an index that holds the id (migration 51), and only
    /// the page's documents are read from the table, not those of every row the filter passes over.
    /// </summary>
    internal async Task<IReadOnlyList<T>> ListAsync<T>(
        string environmentId, string kind, string? parentId, IReadOnlyCollection<string>? ids, SqlCondition? condition, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await PlannedAsPageAsync(connection, condition is not null, cancellationToken).ConfigureAwait(false);
        var insertionOrder = Database.Dialect.InsertionOrder;
        var rows = await connection.QueryAsync<string>(
            new CommandDefinition(
                $"""
                SELECT page_row.data FROM (
                    SELECT resources.id, resources.created_at, resources.{insertionOrder} AS insertion_order FROM resources
                    WHERE environment_id = @environmentId AND kind = @kind{ParentCondition(parentId)}{IdsCondition(ids)}{Where(condition)}
                    ORDER BY {ListOrder(Database.Dialect, parentId)} LIMIT @limit OFFSET @offset) page
                JOIN resources page_row ON page_row.environment_id = @environmentId AND page_row.id = page.id
                ORDER BY page.created_at, page.insertion_order
                """,
                Parameters(new { environmentId, kind, parentId, ids = ids?.ToArray(), limit, offset }, condition),
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(StoredJson.Deserialize<T>)];
    }

    /// <summary>
    /// Up to <paramref name="limit"/> documents of a kind that <paramref name="condition"/> keeps, in id order, after the
    /// id <paramref name="afterId"/> (from the first when null): a walk over a large selection a batch at a time whose
    /// every query starts where the last ended, unlike an offset, which passes over the earlier rows again.
    /// </summary>
    internal async Task<IReadOnlyList<T>> ListAfterAsync<T>(
        string environmentId, string kind, SqlCondition? condition, string? afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await PlannedAsPageAsync(connection, condition is not null, cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<string>(
            new CommandDefinition(
                $"""
                SELECT data FROM resources
                WHERE environment_id = @environmentId AND kind = @kind AND (@afterId IS NULL OR id > @afterId){Where(condition)}
                ORDER BY id LIMIT @limit
                """,
                Parameters(new { environmentId, kind, afterId, limit }, condition),
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(StoredJson.Deserialize<T>)];
    }

    /// <summary>How many documents of a kind (optionally of one parent) there are.</summary>
    public Task<long> CountAsync(string environmentId, string kind, string? parentId, CancellationToken cancellationToken) =>
        CountAsync(environmentId, kind, parentId, null, cancellationToken);

    /// <summary>How many documents of a kind (optionally of one parent, optionally only those of the given ids) there are.</summary>
    public Task<long> CountAsync(string environmentId, string kind, string? parentId, IReadOnlyCollection<string>? ids, CancellationToken cancellationToken) =>
        CountAsync(environmentId, kind, parentId, ids, null, cancellationToken);

    /// <summary>
    /// How many documents of a kind (optionally of one parent, optionally only those of the given ids, optionally only
    /// those <paramref name="condition"/> keeps) there are.
    /// </summary>
    internal async Task<long> CountAsync(
        string environmentId, string kind, string? parentId, IReadOnlyCollection<string>? ids, SqlCondition? condition, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await PlannedForTheirValuesAsync(connection, condition is not null, cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(
                $"SELECT COUNT(*) FROM resources WHERE environment_id = @environmentId AND kind = @kind{ParentCondition(parentId)}{IdsCondition(ids)}{Where(condition)}",
                Parameters(new { environmentId, kind, parentId, ids = ids?.ToArray() }, condition),
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The count <paramref name="count"/> selects in the environment (planned for its values, as a filtered count).</summary>
    internal async Task<long> CountAsync(string environmentId, SqlCount count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(count);
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await PlannedForTheirValuesAsync(connection, filtered: true, cancellationToken).ConfigureAwait(false);
        var parameters = new DynamicParameters(new { environmentId });
        parameters.AddDynamicParams(count.Parameters);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(count.Sql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// On PostgreSQL, for a query with a filter (<paramref name="filtered"/>): a transaction, rolled back when disposed (the
    /// query only reads), in which
    /// statements are planned for the values they are given each time (<c>plan_cache_mode</c>, <c>SET LOCAL</c>, so the
    /// pooled connection keeps its own setting). The store's connections prepare statements they run often, and after
    /// five runs PostgreSQL may keep a generic plan, priced without the values: it cannot see how many rows an array
    /// parameter names. The add-on page's generic plan took every link of the add-on as 2 rows, read all 41,798 of their
    /// companies and sorted them (477 ms p50 warm at 1,000,000 companies, 2.8 s cold), where the plan for its values walks
    /// the list order and stops after a page. Null elsewhere (SQLite plans each statement for its values; an unfiltered
    /// list has nothing to misprice).
    /// </summary>
    internal async Task<DbTransaction?> PlannedForTheirValuesAsync(DbConnection connection, bool filtered, CancellationToken cancellationToken) =>
        await PlannedForTheirValuesAsync(connection, filtered, string.Empty, cancellationToken).ConfigureAwait(false);

    // alsoSet: more SET LOCAL statements (trusted constants) sent with the first.
    private async Task<DbTransaction?> PlannedForTheirValuesAsync(DbConnection connection, bool filtered, string alsoSet, CancellationToken cancellationToken)
    {
        if (!Database.Dialect.IsPostgres || !filtered)
        {
            return null;
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition($"SET LOCAL plan_cache_mode = force_custom_plan{alsoSet}", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return transaction;
    }

    /// <summary>
    /// <see cref="PlannedForTheirValuesAsync(DbConnection, bool, CancellationToken)"/> for a page (a query that stops after its <c>LIMIT</c>), planned without
    /// parallel workers: PostgreSQL splits the list-order walk of a filtered page between workers and merges their rows
    /// (Gather Merge), and starting them cost more than the walk saved. At 1,000,000 companies the add-on's page took
    /// 290-300 ms with two workers and 130-155 ms without, a page of Pro's users 345-385 ms and 120-155 ms (the same
    /// query by <c>EXPLAIN ANALYZE</c>, alternating, on a loaded machine); a count keeps its workers.
    /// </summary>
    private Task<DbTransaction?> PlannedAsPageAsync(DbConnection connection, bool filtered, CancellationToken cancellationToken) =>
        PlannedForTheirValuesAsync(connection, filtered, "; SET LOCAL max_parallel_workers_per_gather = 0", cancellationToken);

    /// <summary>Documents of a kind by id; ids that name none are left out.</summary>
    public async Task<IReadOnlyList<T>> GetManyAsync<T>(string environmentId, string kind, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        // Looked up by primary key and sorted here: with an ORDER BY or an indexable kind, SQLite walks the kind's whole
        // (environment, kind, …) index instead, which costs seconds at 100,000 companies.
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Data, long CreatedAt, long Order)>(
            new CommandDefinition(
                $"SELECT data, created_at, {Database.Dialect.InsertionOrder} FROM resources WHERE environment_id = @environmentId AND {Database.Dialect.NotIndexed("kind")} = @kind{IdsCondition(ids)}",
                new { environmentId, kind, ids = ids.ToArray() },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Order).Select(r => StoredJson.Deserialize<T>(r.Data))];
    }

    /// <summary>
    /// Every document of a kind whose parent is one of <paramref name="parentIds"/>, oldest first. The order is by a term
    /// no index is chosen for: SQLite, without statistics, took the (environment, kind, created_at) index to avoid a sort
    /// and walked every document of the kind (5,043 overrides of a 100,000-company store: 0.15–1 s for a rebuild batch of
    /// 500 companies, cached to cold, twice per batch; 1–35 ms along the (environment, kind, parent) index and a sort of
    /// the few found).
    /// </summary>
    public async Task<IReadOnlyList<T>> ListByParentsAsync<T>(string environmentId, string kind, IReadOnlyCollection<string> parentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parentIds);
        if (parentIds.Count == 0)
        {
            return [];
        }

        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<string>(
            new CommandDefinition(
                $"SELECT data FROM resources WHERE environment_id = @environmentId AND kind = @kind AND {Database.Dialect.IsAnyOf("parent_id", "parentIds")} ORDER BY {Database.Dialect.NotIndexed("created_at")}, {Database.Dialect.InsertionOrder}",
                new { environmentId, kind, parentIds = parentIds.ToArray() },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(StoredJson.Deserialize<T>)];
    }

    /// <summary>
    /// The documents of a kind that link to <paramref name="linkedId"/> (<see cref="ILinkedResource"/>: a company's users,
    /// an add-on's companies), oldest first, found through <c>resource_links</c>.
    /// </summary>
    public async Task<IReadOnlyList<T>> ListLinkedAsync<T>(string environmentId, string kind, string linkedId, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Data, long CreatedAt, long Order)>(
            new CommandDefinition(
                $"""
                SELECT r.data, r.created_at, r.{Database.Dialect.InsertionOrder} FROM resource_links l
                JOIN resources r ON r.environment_id = l.environment_id AND r.id = l.id
                WHERE l.environment_id = @environmentId AND l.kind = @kind AND l.linked_id = @linkedId
                """,
                new { environmentId, kind, linkedId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Order).Select(r => StoredJson.Deserialize<T>(r.Data))];
    }

    /// <summary>
    /// For each linked id, how many documents of a kind link to it (<see cref="ILinkedResource"/>): users per company,
    /// companies per add-on. Only <paramref name="linkedIds"/> when given, read through the index of each.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CountLinkedAsync(
        string environmentId, string kind, IReadOnlyCollection<string>? linkedIds, CancellationToken cancellationToken)
    {
        if (linkedIds is { Count: 0 })
        {
            return new Dictionary<string, long>(StringComparer.Ordinal);
        }

        var only = linkedIds is null ? string.Empty : $" AND {Database.Dialect.IsAnyOf("linked_id", "linkedIds")}";
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Value, long Count)>(
            new CommandDefinition(
                $"SELECT linked_id, COUNT(*) FROM resource_links WHERE environment_id = @environmentId AND kind = @kind{only} GROUP BY linked_id",
                new { environmentId, kind, linkedIds = linkedIds?.ToArray() },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Value, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>For each value of the string property <paramref name="property"/> (a constant) of the documents of a kind, how many have it.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByPropertyAsync(string environmentId, string kind, string property, CancellationToken cancellationToken)
    {
        var value = Database.Dialect.JsonText("data", property);
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Value, long Count)>(
            new CommandDefinition(
                $"SELECT {value}, COUNT(*) FROM resources WHERE environment_id = @environmentId AND kind = @kind AND {value} IS NOT NULL GROUP BY {value}",
                new { environmentId, kind },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Value, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>Every document of a kind in the environment (the catalog is small and loaded whole).</summary>
    public Task<IReadOnlyList<T>> ListAllAsync<T>(string environmentId, string kind, CancellationToken cancellationToken) =>
        ListAsync<T>(environmentId, kind, null, int.MaxValue, 0, cancellationToken);

    /// <summary>Inserts or replaces a document.</summary>
    public async Task PutAsync<T>(
        DbConnection connection, DbTransaction transaction, string environmentId, string kind, string id, string? key, string? parentId, T document)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(
            """
            INSERT INTO resources (environment_id, kind, id, key, parent_id, data, created_at, updated_at)
            VALUES (@environmentId, @kind, @id, @key, @parentId, @data, @now, @now)
            ON CONFLICT (environment_id, id) DO UPDATE SET key = excluded.key, parent_id = excluded.parent_id,
                data = excluded.data, updated_at = excluded.updated_at
            """,
            new { environmentId, kind, id, key, parentId, data = StoredJson.Serialize(document), now },
            transaction).ConfigureAwait(false);
        if (document is ILinkedResource linked)
        {
            await ResourceLinks.ReplaceAsync(connection, transaction, environmentId, kind, id, linked.LinkedIds).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes <paramref name="after"/> in place of <paramref name="before"/>, the version the caller read (outside this
    /// transaction) and built it from; a create when <paramref name="before"/> is null. The stored document is read
    /// again here and held until commit: when another writer changed it meanwhile, nothing is written and
    /// <see cref="ConcurrentChangeException"/> is thrown rather than that change lost.
    /// </summary>
    /// <remarks>Both sides are compared in their stored form after the same round trip, so fields a document gained in
    /// a later version of Tollgate compare equal.</remarks>
    public async Task PutIfUnchangedAsync<T>(
        DbConnection connection, DbTransaction transaction, string environmentId, string kind, string id, string? key, string? parentId, T? before, T after)
        where T : class
    {
        if (before is not null)
        {
            var current = await GetForUpdateAsync<T>(connection, transaction, environmentId, kind, id).ConfigureAwait(false);
            if (current is null || !string.Equals(StoredJson.Serialize(current), StoredJson.Serialize(before), StringComparison.Ordinal))
            {
                throw new ConcurrentChangeException(kind, id);
            }
        }

        await PutAsync(connection, transaction, environmentId, kind, id, key, parentId, after).ConfigureAwait(false);
    }

    /// <summary>Deletes a document; returns whether it existed.</summary>
    public static async Task<bool> DeleteAsync(DbConnection connection, DbTransaction transaction, string environmentId, string kind, string id)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rows = await connection.ExecuteAsync(
            "DELETE FROM resources WHERE environment_id = @environmentId AND kind = @kind AND id = @id",
            new { environmentId, kind, id },
            transaction).ConfigureAwait(false);
        await ResourceLinks.ReplaceAsync(connection, transaction, environmentId, kind, id, []).ConfigureAwait(false);
        return rows > 0;
    }

    /// <summary>Whether a document exists, read inside the caller's transaction (without holding it).</summary>
    public static async Task<bool> ExistsAsync(DbConnection connection, DbTransaction transaction, string environmentId, string kind, string id)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var count = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM resources WHERE environment_id = @environmentId AND kind = @kind AND id = @id",
            new { environmentId, kind, id },
            transaction).ConfigureAwait(false);
        return count > 0;
    }

    /// <summary>
    /// The kind of the document with this id, read inside the caller's transaction, or null. Ids are unique per
    /// environment across kinds: a writer whose ids come from outside (a billing system's external ids) checks that its
    /// id is not another kind's before writing, as a write would replace that document.
    /// </summary>
    public static Task<string?> KindOfAsync(DbConnection connection, DbTransaction transaction, string environmentId, string id)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT kind FROM resources WHERE environment_id = @environmentId AND id = @id",
            new { environmentId, id },
            transaction);
    }

    /// <summary>Whether another document of the kind already has this key.</summary>
    public static async Task<bool> KeyTakenAsync(DbConnection connection, DbTransaction transaction, string environmentId, string kind, string key, string exceptId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var count = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM resources WHERE environment_id = @environmentId AND kind = @kind AND key = @key AND id <> @exceptId",
            new { environmentId, kind, key, exceptId },
            transaction).ConfigureAwait(false);
        return count > 0;
    }

    /// <summary>Documents of a kind by id, read inside the caller's transaction and held until it commits (see <see cref="GetForUpdateAsync{T}"/>); ids that name none are left out.</summary>
    public async Task<IReadOnlyList<T>> GetManyForUpdateAsync<T>(DbConnection connection, DbTransaction transaction, string environmentId, string kind, IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<string>(
            $"SELECT data FROM resources WHERE environment_id = @environmentId AND {Database.Dialect.NotIndexed("kind")} = @kind{IdsCondition(ids)}{Database.Dialect.ForUpdate}",
            new { environmentId, kind, ids = ids.ToArray() },
            transaction).ConfigureAwait(false);
        return [.. rows.Select(StoredJson.Deserialize<T>)];
    }

    /// <summary>
    /// The parent's condition, only when a parent is given: "@parentId IS NULL OR parent_id = @parentId" kept SQLite from
    /// the index of a parent's documents, so a company's overrides were found among every override of the environment.
    /// </summary>
    private static string ParentCondition(string? parentId) => parentId is null ? string.Empty : " AND parent_id = @parentId";

    private static string Where(SqlCondition? condition) => condition is null ? string.Empty : $" AND ({condition.Sql})";

    private static DynamicParameters Parameters(object parameters, SqlCondition? condition)
    {
        var all = new DynamicParameters(parameters);
        if (condition is not null)
        {
            all.AddDynamicParams(condition.Parameters);
        }

        return all;
    }

    /// <summary>The condition on ids of a query with an <c>@ids</c> array parameter; none when all ids are wanted.</summary>
    private string IdsCondition(IReadOnlyCollection<string>? ids) => ids is null ? string.Empty : $" AND {Database.Dialect.IsAnyOf("id", "ids")}";
}
