using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Billing;
using Tollgate.Stripe;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// A server whose object sync is scripted, for tests of the webhook queue itself (what is synced, how often, retried,
/// given up) apart from what a sync does.
/// </summary>
public abstract class ScriptedSyncFactory(StoreKind store) : StripeTollgateFactory(store)
{
    /// <summary>The scripted sync the server uses.</summary>
    internal ScriptedSync Sync { get; } = new();

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStripeObjectSync>(Sync));
    }
}

/// <summary>On SQLite.</summary>
public sealed class ScriptedSyncSqliteServer() : ScriptedSyncFactory(StoreKind.Sqlite);

/// <summary>On PostgreSQL.</summary>
public sealed class ScriptedSyncPostgresServer() : ScriptedSyncFactory(StoreKind.Postgres);

/// <summary>Records every sync and fails the objects told to fail, as Stripe would (retryable 503).</summary>
internal sealed class ScriptedSync : IStripeObjectSync
{
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new(StringComparer.Ordinal);

    /// <summary>Every sync asked for, as <c>type/id</c>, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Makes the next <paramref name="times"/> syncs of <paramref name="objectId"/> fail.</summary>
    public void Fail(string objectId, int times) => _failuresLeft[objectId] = times;

    /// <summary>Makes syncs of <paramref name="objectId"/> wait until the answer is completed (the worker stays busy).</summary>
    public TaskCompletionSource Hold(string objectId) => _holds.GetOrAdd(objectId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async Task SyncAsync(StripeConnection connection, string objectType, string objectId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"{objectType}/{objectId}");
        if (_holds.TryGetValue(objectId, out var hold))
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (_failuresLeft.TryGetValue(objectId, out var left) && left > 0)
        {
            _failuresLeft[objectId] = left - 1;
            throw new StripeCallException("Stripe is having a moment", HttpStatusCode.ServiceUnavailable, "api_error", null, null, retryable: true, null, null);
        }
    }
}
