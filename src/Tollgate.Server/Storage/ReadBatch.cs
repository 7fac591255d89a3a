using System.Globalization;
using System.Text;
using Dapper;
using Tollgate.Server.Operations;

namespace Tollgate.Server.Storage;

/// <summary>
/// Reads of several areas sent to the store as one command, so that a caller waiting for all of them (a cold check
/// loading a company) pays one round trip instead of one per read. Each area adds its statement and gets back a task of
/// its result; <see cref="RunAsync"/> sends them and completes the tasks in the order the parts were added, as their rows
/// arrive.
/// </summary>
/// <remarks>
/// Every part is settled exactly once — with its rows, with the batch's failure, or, for a batch disposed without being
/// run, as cancelled — and its <c>settled</c> action then runs, so an area can hold a lock from adding its part until its
/// rows are in (and no longer).
/// </remarks>
internal sealed class ReadBatch : IDisposable
{
    private readonly StringBuilder _sql = new();
    private readonly DynamicParameters _parameters = new();
    private readonly List<Part> _parts = [];
    private int _parameterCount;
    private bool _ran;

    /// <summary>
    /// Adds a statement; <paramref name="sql"/> writes it, naming each parameter value through the
    /// <see cref="ParameterNames"/> it is given. <paramref name="map"/> turns its rows into the result (run as they arrive,
    /// on the reading thread); <paramref name="settled"/> runs once the part is settled either way.
    /// </summary>
    public Task<TResult> Add<TRow, TResult>(Func<ParameterNames, string> sql, Func<IReadOnlyList<TRow>, TResult> map, Action? settled = null)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(map);
        ObjectDisposedException.ThrowIf(_ran, this);
        var completion = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var part = new Part(
            async grid => completion.TrySetResult(map([.. await grid.ReadAsync<TRow>().ConfigureAwait(false)])),
            failure => _ = failure is null ? completion.TrySetCanceled() : completion.TrySetException(failure),
            settled);
        try
        {
            _sql.Append(sql(new ParameterNames(this)).TrimEnd().TrimEnd(';')).Append(";\n");
        }
        catch (Exception failure)
        {
            part.Settle(failure);
            throw;
        }

        _parts.Add(part);
        return completion.Task;
    }

    /// <summary><see cref="Add{TRow, TResult}"/> whose result is the rows themselves.</summary>
    public Task<IReadOnlyList<TRow>> Add<TRow>(Func<ParameterNames, string> sql) => Add<TRow, IReadOnlyList<TRow>>(sql, rows => rows);

    /// <summary>Sends every part in one command and settles each in turn; a failure settles the parts not yet read with it.</summary>
    public async Task RunAsync(Database database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ObjectDisposedException.ThrowIf(_ran, this);
        _ran = true;
        var next = 0;
        try
        {
            if (_parts.Count == 0)
            {
                return;
            }

            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            PhaseProfile.MarkAmbient("batch-open");
            await using var grids = await connection.QueryMultipleAsync(
                new CommandDefinition(_sql.ToString(), _parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
            PhaseProfile.MarkAmbient("batch-execute");
            for (; next < _parts.Count; next++)
            {
                await _parts[next].ReadAsync(grids).ConfigureAwait(false);
            }

            PhaseProfile.MarkAmbient("batch-rows");
        }
        catch (Exception failure)
        {
            for (; next < _parts.Count; next++)
            {
                _parts[next].Settle(failure);
            }

            throw;
        }
    }

    /// <summary>Settles, as cancelled, the parts of a batch that was never run (an area's lock is given back).</summary>
    public void Dispose()
    {
        if (_ran)
        {
            return;
        }

        _ran = true;
        foreach (var part in _parts)
        {
            part.Settle(null);
        }
    }

    /// <summary>Names the parameter values of one part; names are unique in the batch, so parts never clash.</summary>
    public readonly struct ParameterNames(ReadBatch batch)
    {
        /// <summary>Adds <paramref name="value"/> as a parameter and answers its name in the SQL (<c>@p7</c>).</summary>
        public string Value(object? value)
        {
            var name = "p" + (batch._parameterCount++).ToString(CultureInfo.InvariantCulture);
            batch._parameters.Add(name, value);
            return "@" + name;
        }
    }

    private sealed class Part(Func<SqlMapper.GridReader, Task> read, Action<Exception?> fail, Action? settled)
    {
        private int _settled;

        public async Task ReadAsync(SqlMapper.GridReader grid)
        {
            try
            {
                await read(grid).ConfigureAwait(false);
            }
            catch (Exception failure)
            {
                fail(failure);
                throw;
            }
            finally
            {
                Finish();
            }
        }

        /// <summary>Settles the part without rows: failed with <paramref name="failure"/>, or cancelled when it is null.</summary>
        public void Settle(Exception? failure)
        {
            if (Volatile.Read(ref _settled) == 0)
            {
                fail(failure);
                Finish();
            }
        }

        private void Finish()
        {
            if (Interlocked.Exchange(ref _settled, 1) == 0)
            {
                settled?.Invoke();
            }
        }
    }
}
