using System.Data.Common;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Tollgate.Server.Storage;

/// <summary>
/// Inserts many rows with one <c>INSERT … VALUES (…), (…), …</c> statement per chunk, on both stores. Dapper given a
/// list runs its statement once per row: a round trip each, which is what held a projection rebuild to tens of
/// companies a second. A chunk holds at most <see cref="MaxParameters"/> parameters on PostgreSQL (it allows 65,535)
/// and <see cref="SqliteMaxParameters"/> on SQLite.
/// </summary>
internal static class MultiRowInsert
{
    /// <summary>The most parameters one statement is given on PostgreSQL.</summary>
    public const int MaxParameters = 30_000;

    /// <summary>
    /// The most parameters one statement is given on SQLite. Binding is quadratic in a statement's parameters there:
    /// Microsoft.Data.Sqlite looks each parameter up by name (<c>sqlite3_bind_parameter_index</c>), and SQLite finds a
    /// name by scanning the statement's list of names. At 30,000 parameters that was most of a 100,000-company directory
    /// rebuild's time (a trace: parameter binding 38% of the rebuild thread, tens of companies a second); at a few
    /// hundred it is negligible beside the inserts themselves.
    /// </summary>
    public const int SqliteMaxParameters = 500;

    /// <summary>
    /// Inserts <paramref name="rows"/> (each one value per column of <paramref name="columns"/>, in order) into
    /// <paramref name="table"/>; <paramref name="suffix"/> (an <c>ON CONFLICT</c> clause, or empty) ends each statement.
    /// Table, columns and suffix are trusted constants.
    /// </summary>
    public static async Task ExecuteAsync(
        DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var rowsPerStatement = Math.Max(1, (connection is SqliteConnection ? SqliteMaxParameters : MaxParameters) / columns.Count);
        for (var start = 0; start < rows.Count; start += rowsPerStatement)
        {
            var count = Math.Min(rowsPerStatement, rows.Count - start);
            var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
            var parameters = new DynamicParameters();
            for (var r = 0; r < count; r++)
            {
                var row = rows[start + r];
                if (row.Length != columns.Count)
                {
                    throw new ArgumentException($"row {start + r} has {row.Length} values for {columns.Count} columns", nameof(rows));
                }

                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    var name = $"p{r}_{c}";
                    sql.Append(c == 0 ? "@" : ", @").Append(name);
                    parameters.Add(name, row[c]);
                }

                sql.Append(')');
            }

            sql.Append(' ').Append(suffix);
            await connection.ExecuteAsync(sql.ToString(), parameters, transaction).ConfigureAwait(false);
        }
    }
}
