using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// The migrations' two tables (schema version 12): <c>plan_version_migrations</c>, one JSON document per migration with
/// its status in a column (so every node finds the open ones), and <c>plan_version_company_migrations</c>, one row per
/// company, worked off in insertion order (<c>seq</c>) by status.
/// </summary>
internal sealed class PlanMigrationStore(Database database)
{
    private const int InsertChunk = 200;

    private const string RowColumns =
        "id AS Id, migration_id AS MigrationId, company_id AS CompanyId, company_name AS CompanyName, plan_version_id_from AS PlanVersionIdFrom, status AS Status, " +
        "error AS Error, error_code AS ErrorCode, scheduled_for AS ScheduledFor, started_at AS StartedAt, completed_at AS CompletedAt, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public Database Database => database;

    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, string environmentId, PlanMigrationRecord migration) =>
        connection.ExecuteAsync(
            """
            INSERT INTO plan_version_migrations (environment_id, id, plan_id, status, data, created_at, updated_at)
            VALUES (@environmentId, @id, @planId, @status, @data, @at, @at)
            """,
            new { environmentId, id = migration.Id, planId = migration.PlanId, status = migration.Status, data = StoredJson.Serialize(migration), at = migration.UpdatedAt.ToUnixTimeMilliseconds() },
            transaction);

    public static Task UpdateAsync(DbConnection connection, DbTransaction transaction, string environmentId, PlanMigrationRecord migration) =>
        connection.ExecuteAsync(
            "UPDATE plan_version_migrations SET status = @status, data = @data, updated_at = @at WHERE environment_id = @environmentId AND id = @id",
            new { environmentId, id = migration.Id, status = migration.Status, data = StoredJson.Serialize(migration), at = migration.UpdatedAt.ToUnixTimeMilliseconds() },
            transaction);

    public async Task<PlanMigrationRecord?> GetAsync(string environmentId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var data = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT data FROM plan_version_migrations WHERE environment_id = @environmentId AND id = @id", new { environmentId, id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return data is null ? null : StoredJson.Deserialize<PlanMigrationRecord>(data);
    }

    /// <summary>The migration, held until the transaction ends (PostgreSQL): the runner and cancel take turns on it.</summary>
    public async Task<PlanMigrationRecord?> GetForUpdateAsync(DbConnection connection, DbTransaction transaction, string environmentId, string id)
    {
        var data = await connection.QuerySingleOrDefaultAsync<string>(
            $"SELECT data FROM plan_version_migrations WHERE environment_id = @environmentId AND id = @id{database.Dialect.ForUpdate}", new { environmentId, id }, transaction).ConfigureAwait(false);
        return data is null ? null : StoredJson.Deserialize<PlanMigrationRecord>(data);
    }

    /// <summary>Every migration of the environment, oldest first (an environment has few).</summary>
    public async Task<IReadOnlyList<PlanMigrationRecord>> ListAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT data FROM plan_version_migrations WHERE environment_id = @environmentId ORDER BY created_at, id", new { environmentId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(StoredJson.Deserialize<PlanMigrationRecord>)];
    }

    /// <summary>The open migrations of every environment, oldest first: what the background runner resumes.</summary>
    public async Task<IReadOnlyList<(string EnvironmentId, string Id)>> OpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT environment_id, id FROM plan_version_migrations WHERE status IN ('pending', 'in_progress') ORDER BY created_at, id", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>The id of an open migration of the plan, read inside the caller's transaction; null when there is none.</summary>
    public static Task<string?> OpenOfPlanAsync(DbConnection connection, DbTransaction transaction, string environmentId, string planId) =>
        connection.QueryFirstOrDefaultAsync<string?>(
            "SELECT id FROM plan_version_migrations WHERE environment_id = @environmentId AND plan_id = @planId AND status IN ('pending', 'in_progress')",
            new { environmentId, planId },
            transaction);

    /// <summary>Inserts company rows, a few hundred per statement.</summary>
    public static async Task InsertRowsAsync(DbConnection connection, DbTransaction transaction, string environmentId, IReadOnlyList<CompanyMigrationRow> rows)
    {
        for (var start = 0; start < rows.Count; start += InsertChunk)
        {
            var chunk = rows.Skip(start).Take(InsertChunk).ToList();
            var values = string.Join(", ", chunk.Select((_, i) => $"(@e, @id{i}, @m{i}, @c{i}, @n{i}, @f{i}, @s{i}, @t{i}, @t{i})"));
            var parameters = new DynamicParameters();
            parameters.Add("e", environmentId);
            for (var i = 0; i < chunk.Count; i++)
            {
                parameters.Add($"id{i}", chunk[i].Id);
                parameters.Add($"m{i}", chunk[i].MigrationId);
                parameters.Add($"c{i}", chunk[i].CompanyId);
                parameters.Add($"n{i}", chunk[i].CompanyName);
                parameters.Add($"f{i}", chunk[i].PlanVersionIdFrom);
                parameters.Add($"s{i}", chunk[i].Status);
                parameters.Add($"t{i}", chunk[i].CreatedAt);
            }

            await connection.ExecuteAsync(
                $"""
                INSERT INTO plan_version_company_migrations
                    (environment_id, id, migration_id, company_id, company_name, plan_version_id_from, status, created_at, updated_at)
                VALUES {values}
                """,
                parameters,
                transaction).ConfigureAwait(false);
        }
    }

    /// <summary>The next companies to move, in the order they were added (in-progress ones first met again after a restart).</summary>
    public static async Task<IReadOnlyList<CompanyMigrationRow>> NextAsync(DbConnection connection, DbTransaction transaction, string environmentId, string migrationId, int limit) =>
        [.. await connection.QueryAsync<CompanyMigrationRow>(
            $"""
            SELECT {RowColumns} FROM plan_version_company_migrations
            WHERE environment_id = @environmentId AND migration_id = @migrationId AND status IN ('pending', 'in_progress')
            ORDER BY seq LIMIT @limit
            """,
            new { environmentId, migrationId, limit },
            transaction).ConfigureAwait(false)];

    /// <summary>How many rows of the migration are in <paramref name="status"/>, read inside the caller's transaction.</summary>
    public static Task<long> CountInStatusAsync(DbConnection connection, DbTransaction transaction, string environmentId, string migrationId, string status) =>
        connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM plan_version_company_migrations WHERE environment_id = @environmentId AND migration_id = @migrationId AND status = @status",
            new { environmentId, migrationId, status },
            transaction);

    /// <summary>Writes a row's state.</summary>
    public static Task UpdateRowAsync(DbConnection connection, DbTransaction transaction, string environmentId, CompanyMigrationRow row) =>
        connection.ExecuteAsync(
            """
            UPDATE plan_version_company_migrations SET status = @Status, error = @Error, error_code = @ErrorCode, scheduled_for = @ScheduledFor,
                started_at = @StartedAt, completed_at = @CompletedAt, updated_at = @UpdatedAt
            WHERE environment_id = @environmentId AND id = @Id
            """,
            new { environmentId, row.Id, row.Status, row.Error, row.ErrorCode, row.ScheduledFor, row.StartedAt, row.CompletedAt, row.UpdatedAt },
            transaction);

    /// <summary>Moves every row of the migration in one of <paramref name="from"/> to <paramref name="to"/>; answers how many.</summary>
    public Task<int> SetStatusAsync(
        DbConnection connection, DbTransaction transaction, string environmentId, string migrationId, IReadOnlyList<string> from, string to, long now, IReadOnlyList<string>? errorCodes = null) =>
        connection.ExecuteAsync(
            $"""
            UPDATE plan_version_company_migrations SET status = @to, updated_at = @now{(to == PlanMigrationValues.Pending ? ", error = NULL, error_code = NULL, completed_at = NULL" : string.Empty)}
            WHERE environment_id = @environmentId AND migration_id = @migrationId AND {database.Dialect.IsAnyOf("status", "from")}
            {(errorCodes is null ? string.Empty : $" AND {database.Dialect.IsAnyOf("error_code", "errorCodes")}")}
            """,
            new { environmentId, migrationId, from = from.ToArray(), to, now, errorCodes = errorCodes?.ToArray() },
            transaction);

    /// <summary>Rows moved with a scheduled instant still ahead: <c>complete-now</c> moves them again, at once.</summary>
    public static Task<int> RequeueScheduledAsync(DbConnection connection, DbTransaction transaction, string environmentId, string migrationId, long now) =>
        connection.ExecuteAsync(
            """
            UPDATE plan_version_company_migrations SET status = 'pending', scheduled_for = NULL, completed_at = NULL, updated_at = @now
            WHERE environment_id = @environmentId AND migration_id = @migrationId AND status = 'completed' AND scheduled_for > @now
            """,
            new { environmentId, migrationId, now },
            transaction);

    /// <summary>The company ids of rows moved with a scheduled instant still ahead, set to cancelled (a cancel drops their scheduled moves).</summary>
    public static async Task<IReadOnlyList<string>> CancelScheduledAsync(DbConnection connection, DbTransaction transaction, string environmentId, string migrationId, long now)
    {
        var companyIds = (await connection.QueryAsync<string>(
            """
            SELECT company_id FROM plan_version_company_migrations
            WHERE environment_id = @environmentId AND migration_id = @migrationId AND status = 'completed' AND scheduled_for > @now
            """,
            new { environmentId, migrationId, now },
            transaction).ConfigureAwait(false)).ToList();
        await connection.ExecuteAsync(
            """
            UPDATE plan_version_company_migrations SET status = 'cancelled', scheduled_for = NULL, completed_at = NULL, updated_at = @now
            WHERE environment_id = @environmentId AND migration_id = @migrationId AND status = 'completed' AND scheduled_for > @now
            """,
            new { environmentId, migrationId, now },
            transaction).ConfigureAwait(false);
        return companyIds;
    }

    /// <summary>How many rows of each migration are in each status.</summary>
    public async Task<IReadOnlyDictionary<(string MigrationId, string Status), int>> CountsAsync(string environmentId, IReadOnlyCollection<string> migrationIds, CancellationToken cancellationToken)
    {
        if (migrationIds.Count == 0)
        {
            return new Dictionary<(string, string), int>();
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, string, long)>(new CommandDefinition(
            $"""
            SELECT migration_id, status, COUNT(*) FROM plan_version_company_migrations
            WHERE environment_id = @environmentId AND {database.Dialect.IsAnyOf("migration_id", "ids")} GROUP BY migration_id, status
            """,
            new { environmentId, ids = migrationIds.ToArray() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => (r.Item1, r.Item2), r => (int)r.Item3);
    }

    /// <summary>Per migration, the next instant after <paramref name="now"/> at which a company of it moves (scheduled moves).</summary>
    public async Task<IReadOnlyDictionary<string, long>> NextDueAsync(string environmentId, IReadOnlyCollection<string> migrationIds, long now, CancellationToken cancellationToken)
    {
        if (migrationIds.Count == 0)
        {
            return new Dictionary<string, long>();
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, long)>(new CommandDefinition(
            $"""
            SELECT migration_id, MIN(scheduled_for) FROM plan_version_company_migrations
            WHERE environment_id = @environmentId AND {database.Dialect.IsAnyOf("migration_id", "ids")} AND scheduled_for > @now GROUP BY migration_id
            """,
            new { environmentId, ids = migrationIds.ToArray(), now },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => r.Item2);
    }

    public async Task<CompanyMigrationRow?> GetRowAsync(string environmentId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<CompanyMigrationRow>(new CommandDefinition(
            $"SELECT {RowColumns} FROM plan_version_company_migrations WHERE environment_id = @environmentId AND id = @id",
            new { environmentId, id },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<CompanyMigrationRow?> GetRowForUpdateAsync(DbConnection connection, DbTransaction transaction, string environmentId, string id) =>
        await connection.QuerySingleOrDefaultAsync<CompanyMigrationRow>(
            $"SELECT {RowColumns} FROM plan_version_company_migrations WHERE environment_id = @environmentId AND id = @id{database.Dialect.ForUpdate}",
            new { environmentId, id },
            transaction).ConfigureAwait(false);

    /// <summary>A page of company rows (optionally of one migration, in one status, whose company id or name contains the filter's text), in insertion order.</summary>
    public async Task<IReadOnlyList<CompanyMigrationRow>> ListRowsAsync(string environmentId, CompanyRowFilter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<CompanyMigrationRow>(new CommandDefinition(
            $"SELECT {RowColumns} FROM plan_version_company_migrations WHERE {Where(filter)} ORDER BY seq LIMIT @limit OFFSET @offset",
            Parameters(environmentId, filter, new { limit, offset }),
            cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    public async Task<long> CountRowsAsync(string environmentId, CompanyRowFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM plan_version_company_migrations WHERE {Where(filter)}", Parameters(environmentId, filter, null), cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static string Where(CompanyRowFilter filter) =>
        "environment_id = @environmentId"
        + (filter.MigrationId is null ? string.Empty : " AND migration_id = @migrationId")
        + (filter.Status is null ? string.Empty : " AND status = @status")
        + (filter.Q is null ? string.Empty : " AND (LOWER(company_name) LIKE @q OR LOWER(company_id) LIKE @q)");

    private static DynamicParameters Parameters(string environmentId, CompanyRowFilter filter, object? extra)
    {
        var parameters = new DynamicParameters(extra);
        parameters.Add("environmentId", environmentId);
        parameters.Add("migrationId", filter.MigrationId);
        parameters.Add("status", filter.Status);
        parameters.Add("q", filter.Q is null ? null : "%" + filter.Q.ToLowerInvariant().Replace("%", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal) + "%");
        return parameters;
    }
}

/// <summary>The filters of <c>GET /plan-version-company-migrations</c>.</summary>
internal sealed record CompanyRowFilter(string? MigrationId, string? Status, string? Q);
