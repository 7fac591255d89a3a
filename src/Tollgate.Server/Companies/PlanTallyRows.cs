using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// A table of tallies per environment and base plan kept by triggers (migrations 47 and 59): on SQLite one row per plan,
/// on PostgreSQL each write statement appends its change as new rows, so a read sums them, and folds them into one row
/// per plan once they have gathered.
/// </summary>
internal static class PlanTallyRows
{
    /// <summary>How many rows an environment may gather on PostgreSQL before a read folds them.</summary>
    private const int RowsBeforeFolding = 64;

    /// <summary>The sum of <paramref name="column"/> per plan of the environment in <paramref name="table"/> (both constants).</summary>
    public static async Task<IReadOnlyDictionary<string, long>> ReadAsync(
        DbConnection connection, SqlDialect dialect, string table, string column, string environmentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var rows = (await connection.QueryAsync<(string PlanId, long Sum, long Rows)>(new CommandDefinition(
            $"SELECT plan_id, SUM({column}), COUNT(*) FROM {table} WHERE environment_id = @environmentId GROUP BY plan_id",
            new { environmentId },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        if (dialect.IsPostgres && rows.Sum(r => r.Rows) > RowsBeforeFolding)
        {
            // One statement: the rows it deletes are the rows whose sums it inserts, so a write committing meanwhile (its
            // rows are not deleted) or another fold (it deletes other rows, or waits and skips those gone) loses nothing.
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                WITH folded AS (DELETE FROM {table} WHERE environment_id = @environmentId RETURNING plan_id, {column})
                INSERT INTO {table} (environment_id, plan_id, {column})
                    SELECT @environmentId, plan_id, SUM({column}) FROM folded GROUP BY plan_id HAVING SUM({column}) <> 0
                """,
                new { environmentId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return rows.ToDictionary(r => r.PlanId, r => r.Sum, StringComparer.Ordinal);
    }
}
