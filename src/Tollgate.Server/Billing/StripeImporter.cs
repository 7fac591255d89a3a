using System.Collections.Concurrent;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing;

/// <summary>
/// Imports an environment's Stripe account in the background: products, prices, customers, then subscriptions of every
/// status, each a page of 100 at a time through <see cref="StripeObjectSync"/>, with the progress saved after every
/// page. An import interrupted (the process stopped) or failed (Stripe failed after its retries) continues from its
/// phase and cursor when started again; a finished one starts over, and since a sync that changes nothing writes nothing,
/// importing again duplicates nothing. One import runs per environment on a node; starting it while it runs answers
/// its progress. With several nodes, the node that was asked runs it.
/// </summary>
internal sealed class StripeImporter(StripeConnections connections, StripeObjectSync sync, StripeSyncStatus status, ResourceStore store, TimeProvider time, ILogger<StripeImporter> logger)
    : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _stopped;

    /// <summary>Starts (or resumes) the environment's import, or answers the progress of the one running.</summary>
    public async Task<StripeImportProgress> StartAsync(string environmentId, CancellationToken cancellationToken)
    {
        var connection = await connections.RequireAsync(environmentId, cancellationToken).ConfigureAwait(false);
        await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = await ProgressAsync(environmentId, cancellationToken).ConfigureAwait(false);
            if (_running.TryGetValue(environmentId, out var running) && !running.IsCompleted && previous is not null)
            {
                return previous;
            }

            var progress = previous is { Status: not StripeImportStatuses.Completed }
                ? previous with { Status = StripeImportStatuses.Running, Error = null, FinishedAt = null }
                : new StripeImportProgress { StartedAt = time.GetUtcNow() };
            await status.WriteAsync(environmentId, StripeSyncStatus.Import, progress, cancellationToken).ConfigureAwait(false);
            _running[environmentId] = Task.Run(() => RunAsync(connection, progress, _stopping.Token), CancellationToken.None);
            return progress;
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>
    /// Resumes the imports a stop or a crash interrupted (their status still says running): called once the schema is
    /// migrated at start-up. With several nodes each may try; the import's lock lets one run it.
    /// </summary>
    public async Task ResumeInterruptedAsync(CancellationToken cancellationToken)
    {
        foreach (var environmentId in await connections.ConnectedEnvironmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await ProgressAsync(environmentId, cancellationToken).ConfigureAwait(false) is { Status: StripeImportStatuses.Running })
            {
                Log.ImportResumed(logger, environmentId);
                await StartAsync(environmentId, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The environment's last import progress, or null when it never imported.</summary>
    public Task<StripeImportProgress?> ProgressAsync(string environmentId, CancellationToken cancellationToken) =>
        status.ReadAsync<StripeImportProgress>(environmentId, StripeSyncStatus.Import, cancellationToken);

    /// <summary>Waits for the environment's running import on this node, if any (tests; shutdown).</summary>
    public Task WaitAsync(string environmentId) => _running.TryGetValue(environmentId, out var running) ? running : Task.CompletedTask;

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops running imports: each keeps its last saved page and resumes on the next start.</summary>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped more than once (WebApplicationFactory stops it again when disposed).
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _stopping.Cancel();
        }

        _stopping.Dispose();
        _starting.Dispose();
    }

    private async Task RunAsync(StripeConnection connection, StripeImportProgress progress, CancellationToken cancellationToken)
    {
        var environmentId = connection.EnvironmentId;
        var reader = new StripeReader(connection.Account);
        var subscribedUnmapped = new HashSet<string>(progress.UnmappedProducts.Where(p => p.Subscribed).Select(p => p.Id), StringComparer.Ordinal);
        try
        {
            await using var importLock = await AdvisoryLock.TryAcquireAsync(store.Database, AdvisoryLockNames.StripeImport(environmentId), cancellationToken).ConfigureAwait(false);
            if (importLock is null)
            {
                return; // another node is importing this environment; its progress is the one shown
            }

            while (progress.Phase != StripeImportPhases.Done)
            {
                var (count, cursor) = await ImportPageAsync(connection, reader, progress.Phase, progress.Cursor, subscribedUnmapped, cancellationToken).ConfigureAwait(false);
                var counts = new Dictionary<string, long>(progress.Counts, StringComparer.Ordinal) { [progress.Phase] = progress.CountOf(progress.Phase) + count };
                progress = cursor is null
                    ? progress with { Counts = counts, Phase = StripeImportPhases.Next(progress.Phase), Cursor = null }
                    : progress with { Counts = counts, Cursor = cursor };
                if (progress.Phase == StripeImportPhases.Done)
                {
                    progress = progress with { Status = StripeImportStatuses.Completed, FinishedAt = time.GetUtcNow() };
                }

                if (cursor is null)
                {
                    progress = progress with { UnmappedProducts = await UnmappedAsync(environmentId, subscribedUnmapped, cancellationToken).ConfigureAwait(false) };
                }

                await status.WriteAsync(environmentId, StripeSyncStatus.Import, progress, cancellationToken).ConfigureAwait(false);
            }

            Log.ImportCompleted(logger, environmentId, progress.Counts);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the status still says running at the last saved page, which the next start resumes.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = e is StripeCallException stripe ? StripeConnections.Describe(stripe) : e.Message;
            Log.ImportFailed(logger, e, environmentId, progress.Phase, error);
            await SaveFailureAsync(environmentId, progress with { Status = StripeImportStatuses.Failed, Error = error, FinishedAt = time.GetUtcNow() }).ConfigureAwait(false);
        }
    }

    /// <summary>Imports one page of the phase; answers how many objects it had and the cursor after it (null: the phase is done).</summary>
    private async Task<(int Count, string? Cursor)> ImportPageAsync(
        StripeConnection connection, StripeReader reader, string phase, string? cursor, HashSet<string> subscribedUnmapped, CancellationToken cancellationToken)
    {
        switch (phase)
        {
            case StripeImportPhases.Products:
                var products = await reader.ListProductsAsync(cursor, cancellationToken).ConfigureAwait(false);
                foreach (var product in products.Items)
                {
                    await sync.ApplyProductAsync(connection, product.Id, product, cancellationToken).ConfigureAwait(false);
                }

                return (products.Items.Count, products.NextCursor);
            case StripeImportPhases.Prices:
                var prices = await reader.ListPricesAsync(cursor, cancellationToken).ConfigureAwait(false);
                foreach (var price in prices.Items)
                {
                    await sync.ApplyPriceAsync(connection, price.Id, price, cancellationToken).ConfigureAwait(false);
                }

                return (prices.Items.Count, prices.NextCursor);
            case StripeImportPhases.Customers:
                var customers = await reader.ListCustomersAsync(cursor, cancellationToken).ConfigureAwait(false);
                foreach (var customer in customers.Items)
                {
                    await sync.ApplyCustomerAsync(connection, customer, cancellationToken).ConfigureAwait(false);
                }

                return (customers.Items.Count, customers.NextCursor);
            default:
                var subscriptions = await reader.ListSubscriptionsAsync(cursor, cancellationToken).ConfigureAwait(false);
                foreach (var subscription in subscriptions.Items)
                {
                    subscribedUnmapped.UnionWith(await sync.ApplySubscriptionAsync(connection, subscription, cancellationToken).ConfigureAwait(false));
                }

                return (subscriptions.Items.Count, subscriptions.NextCursor);
        }
    }

    /// <summary>Active products mapped to no plan, marking those a subscription bills.</summary>
    private async Task<IReadOnlyList<UnmappedProduct>> UnmappedAsync(string environmentId, HashSet<string> subscribed, CancellationToken cancellationToken)
    {
        var products = await store.ListAllAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, cancellationToken).ConfigureAwait(false);
        return [.. products.Where(p => p.PlanId is null && p.Active && !p.Deleted).Select(p => new UnmappedProduct(p.Id, p.Name, subscribed.Contains(p.Id)))];
    }

    private async Task SaveFailureAsync(string environmentId, StripeImportProgress progress)
    {
        try
        {
            await status.WriteAsync(environmentId, StripeSyncStatus.Import, progress, CancellationToken.None).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException e)
        {
            // The status stays "running" at the last saved page; the next start resumes from there all the same.
            Log.ImportProgressNotSaved(logger, e, environmentId);
        }
    }
}
