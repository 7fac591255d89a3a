using System.Data.Common;
using System.Globalization;
using System.Text;
using Npgsql;
using Tollgate.Server.Storage;

namespace Tollgate.Scale;

/// <summary>
/// Writes a batch in one transaction of the store's own (<see cref="Database.WriteAsync{T}"/>, so on SQLite it takes
/// its turn with the server's writers): binary <c>COPY</c> on PostgreSQL; on SQLite prepared multi-row inserts, reused
/// for every chunk of the batch.
/// </summary>
internal static class BulkWriter
{
    /// <summary>Rows per SQLite statement: a few hundred parameters per statement is where the per-call cost stops mattering.</summary>
    private const int SqliteRowsPerStatement = 32;

    public static Task WriteAsync(Database database, RowBatch batch, CancellationToken ct) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                foreach (var table in BulkTable.All)
                {
                    var rows = batch.RowsOf(table);
                    if (rows.Count == 0)
                    {
                        continue;
                    }

                    if (connection is NpgsqlConnection npgsql)
                    {
                        await CopyAsync(npgsql, table, rows, ct);
                    }
                    else
                    {
                        await InsertAsync(connection, transaction, table, rows, ct);
                    }
                }

                return true;
            },
            ct);

    private static async Task CopyAsync(NpgsqlConnection connection, BulkTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        await using var import = await connection.BeginBinaryImportAsync(
            $"COPY {table.Name} ({string.Join(", ", table.Columns)}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await import.StartRowAsync(ct);
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null)
                {
                    await import.WriteNullAsync(ct);
                }
                else
                {
                    await import.WriteAsync(row[i], table.Types[i], ct);
                }
            }
        }

        await import.CompleteAsync(ct);
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, BulkTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var full = rows.Count / SqliteRowsPerStatement;
        if (full > 0)
        {
            await using var many = Prepare(connection, transaction, table, SqliteRowsPerStatement);
            await many.PrepareAsync(ct);
            for (var chunk = 0; chunk < full; chunk++)
            {
                Bind(many, table, rows, chunk * SqliteRowsPerStatement, SqliteRowsPerStatement);
                await many.ExecuteNonQueryAsync(ct);
            }
        }

        var rest = rows.Count - (full * SqliteRowsPerStatement);
        if (rest > 0)
        {
            await using var last = Prepare(connection, transaction, table, rest);
            Bind(last, table, rows, full * SqliteRowsPerStatement, rest);
            await last.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, BulkTable table, int rowCount)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder($"INSERT INTO {table.Name} ({string.Join(", ", table.Columns)}) VALUES ");
        for (var row = 0; row < rowCount; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < table.Columns.Length; column++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = string.Create(CultureInfo.InvariantCulture, $"@p{row}_{column}");
                command.Parameters.Add(parameter);
                sql.Append(column == 0 ? string.Empty : ", ").Append(parameter.ParameterName);
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        return command;
    }

    private static void Bind(DbCommand command, BulkTable table, IReadOnlyList<object?[]> rows, int first, int count)
    {
        var columns = table.Columns.Length;
        for (var row = 0; row < count; row++)
        {
            var values = rows[first + row];
            for (var column = 0; column < columns; column++)
            {
                command.Parameters[(row * columns) + column].Value = values[column] ?? DBNull.Value;
            }
        }
    }
}
