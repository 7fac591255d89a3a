using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.DataExports;

/// <summary>
/// Works pending exports, oldest first: at once when one is created on this node, else every
/// <see cref="PollInterval"/>. On PostgreSQL one node at a time works them (an advisory lock); an export cut short by a
/// crash stays pending and is produced again from the start by the next pass.
/// </summary>
internal sealed partial class DataExportWorker(ResourceStore store, DataExportProducer producer, DataExportSignal signal, TimeProvider time, ILogger<DataExportWorker> logger)
    : BackgroundService
{
    /// <summary>How often the worker looks for exports created on other nodes.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    /// <summary>Works every pending export; answers how many it finished (0 when another node holds the lock).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var turn = await AdvisoryLock.TryAcquireAsync(store.Database, AdvisoryLockNames.DataExports, cancellationToken).ConfigureAwait(false);
        if (turn is null)
        {
            return 0;
        }

        List<(string EnvironmentId, string Id)> pending;
        await using (var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            // The kind is a literal so both databases use the partial index resources_data_exports (migration 15).
            pending = [.. await connection.QueryAsync<(string, string)>(
                new CommandDefinition(
                    $"""
                    SELECT environment_id, id FROM resources
                    WHERE kind = '{DataExportService.Kind}' AND {store.Database.Dialect.JsonText("data", "status")} = 'pending'
                    ORDER BY created_at
                    """,
                    cancellationToken: cancellationToken)).ConfigureAwait(false)];
        }

        foreach (var (environmentId, id) in pending)
        {
            await WorkAsync(environmentId, id, cancellationToken).ConfigureAwait(false);
        }

        return pending.Count;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                await signal.WaitAsync(PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive a failed pass (database unreachable…); the next one tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogPassFailed(exception);
                await Task.Delay(PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WorkAsync(string environmentId, string id, CancellationToken cancellationToken)
    {
        var export = await store.GetAsync<DataExportRecord>(environmentId, DataExportService.Kind, id, cancellationToken).ConfigureAwait(false);
        if (export is not { Status: "pending" })
        {
            return;
        }

        DataExportRecord done;
        try
        {
            var rows = await producer.ProduceAsync(environmentId, export, cancellationToken).ConfigureAwait(false);
            done = export with { Status = "success", RowCount = rows, UpdatedAt = time.GetUtcNow() };
            LogDone(id, rows);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // An export that cannot be produced (a filter the data refuses…) fails alone, with its reason.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFailed(exception, id);
            done = export with { Status = "failure", Error = exception.Message, UpdatedAt = time.GetUtcNow() };
        }

        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutAsync(connection, transaction, environmentId, DataExportService.Kind, id, null, null, done).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data export {ExportId} written: {Rows} rows")]
    private partial void LogDone(string exportId, long rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Data export {ExportId} failed")]
    private partial void LogFailed(Exception exception, string exportId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the data-export worker failed; retrying")]
    private partial void LogPassFailed(Exception exception);
}
