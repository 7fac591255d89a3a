using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Tollgate.Server.Companies;
using Tollgate.Server.Memory;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Evaluation;

/// <summary>The warm state of every environment, created on first use.</summary>
internal sealed class RuntimeRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, EnvironmentRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly ResourceStore _store;
    private readonly EntityKeys _keys;
    private readonly UsageCounters _usage;
    private readonly TimeProvider _time;
    private readonly MemoryOptions _memory;

    public RuntimeRegistry(ResourceStore store, EntityKeys keys, UsageCounters usage, ChangeFeed changes, TimeProvider time, IOptions<MemoryOptions> memory)
    {
        (_store, _keys, _usage, _time, _memory) = (store, keys, usage, time, memory.Value);
        changes.Subscribe(ApplyAsync);
    }

    public EnvironmentRuntime For(string environmentId) =>
        _runtimes.GetOrAdd(environmentId, id => new EnvironmentRuntime(id, _store, _keys, _usage, _time, _memory));

    /// <summary>How much is held warm: environments, and companies and users over all of them (for metrics).</summary>
    public (int Environments, int Companies, int Users) WarmCounts()
    {
        var (companies, users) = (0, 0);
        foreach (var runtime in _runtimes.Values)
        {
            companies += runtime.WarmCompanyCount;
            users += runtime.WarmUserCount;
        }

        return (_runtimes.Count, companies, users);
    }

    /// <summary>A committed change, this node's or another's: only environments warm here have anything to update.</summary>
    private async Task ApplyAsync(Change change, CancellationToken cancellationToken)
    {
        if (change.EnvironmentId == Change.AllEnvironments)
        {
            // Each environment resets even if another's reload fails (that one drops its catalog and loads it on use).
            List<Exception>? failures = null;
            foreach (var runtime in _runtimes.Values)
            {
                try
                {
                    await runtime.ResetAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    (failures ??= []).Add(exception);
                }
            }

            if (failures is not null)
            {
                throw new AggregateException(failures);
            }
        }
        else if (_runtimes.TryGetValue(change.EnvironmentId, out var runtime))
        {
            await runtime.ApplyAsync(change, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var runtime in _runtimes.Values)
        {
            runtime.Dispose();
        }
    }
}
