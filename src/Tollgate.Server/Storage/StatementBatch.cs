using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Tollgate.Server.Storage;

/// <summary>
/// Statements of one transaction sent together. On PostgreSQL they go as one <see cref="DbBatch"/>: one network round
/// trip for all of them, where each statement alone would wait for the answer to the previous one (and, on a busy
/// machine, for both processes to be scheduled again). SQLite runs in this process and has no batches: there each
/// statement runs as its own command, which costs nothing extra. Either way the statements run in order, in the
/// caller's transaction, and the first that fails fails the rest.
/// </summary>
internal sealed class StatementBatch
{
    /// <summary>The most rows one multi-row statement of <see cref="AddRows"/> carries.</summary>
    public const int RowsPerStatement = 500;

    private readonly List<(string Sql, List<(string Name, object? Value)> Parameters)> _statements = [];

    /// <summary>How many statements are queued.</summary>
    public int Count => _statements.Count;

    /// <summary>Queues one statement with named parameters (<c>@name</c>); answers its position in the batch.</summary>
    public int Add(string sql, params (string Name, object? Value)[] parameters)
    {
        _statements.Add((sql, [.. parameters]));
        return _statements.Count - 1;
    }

    /// <summary>
    /// Queues <c><paramref name="insert"/> (…), (…) <paramref name="suffix"/></c> statements of at most
    /// <see cref="RowsPerStatement"/> rows each (one value per column, in order); answers each statement's position
    /// with the rows it carries. <paramref name="insert"/> and <paramref name="suffix"/> are trusted constants.
    /// </summary>
    public List<(int Position, int Rows)> AddRows(string insert, string suffix, IEnumerable<object?[]> rows)
    {
        var positions = new List<(int, int)>();
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder(insert);
            var parameters = new List<(string, object?)>(chunk.Length * chunk[0].Length);
            for (var row = 0; row < chunk.Length; row++)
            {
                sql.Append(row == 0 ? "(" : ", (");
                for (var column = 0; column < chunk[row].Length; column++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@p{row}_{column}");
                    parameters.Add((name, chunk[row][column]));
                    sql.Append(column == 0 ? string.Empty : ", ").Append(name);
                }

                sql.Append(')');
            }

            _statements.Add((sql.Append(suffix).ToString(), parameters));
            positions.Add((_statements.Count - 1, chunk.Length));
        }

        return positions;
    }

    /// <summary>Runs the queued statements in order; answers the rows each affected, by position.</summary>
    public async Task<int[]> ExecuteAsync(DbConnection connection, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var affected = new int[_statements.Count];
        if (_statements.Count == 0)
        {
            return affected;
        }

        if (!connection.CanCreateBatch)
        {
            for (var i = 0; i < _statements.Count; i++)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = _statements[i].Sql;
                foreach (var (name, value) in _statements[i].Parameters)
                {
                    var parameter = command.CreateParameter();
                    (parameter.ParameterName, parameter.Value) = (name, value ?? DBNull.Value);
                    command.Parameters.Add(parameter);
                }

                affected[i] = await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            return affected;
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var (sql, parameters) in _statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                (parameter.ParameterName, parameter.Value) = (name, value ?? DBNull.Value);
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        for (var i = 0; i < affected.Length; i++)
        {
            affected[i] = batch.BatchCommands[i].RecordsAffected;
        }

        return affected;
    }
}
