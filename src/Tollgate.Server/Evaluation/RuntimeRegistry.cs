using System.Collections.Concurrent;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Evaluation;

/// <summary>The warm state of every environment, created on first use.</summary>
internal sealed class RuntimeRegistry(ResourceStore store, EntityKeys keys, UsageCounters usage, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, EnvironmentRuntime> _runtimes = new(StringComparer.Ordinal);

    public EnvironmentRuntime For(string environmentId) =>
        _runtimes.GetOrAdd(environmentId, id => new EnvironmentRuntime(id, store, keys, usage, time));

    public void Dispose()
    {
        foreach (var runtime in _runtimes.Values)
        {
            runtime.Dispose();
        }
    }
}
