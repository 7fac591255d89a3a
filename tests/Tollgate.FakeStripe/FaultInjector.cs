namespace Tollgate.FakeStripe;

/// <summary>A programmable queue of faults, matched per request by method and path, consumed in order.</summary>
public sealed class FaultInjector
{
    private readonly List<(string? Method, string? Path, Fault Fault)> _queue = [];
    private readonly Lock _gate = new();

    /// <summary>
    /// Queues <paramref name="fault"/> for the next <paramref name="times"/> requests whose path matches
    /// (exactly, or by prefix when <paramref name="path"/> ends with <c>*</c>; null = any path) and method (null = any).
    /// </summary>
    public FaultInjector Enqueue(Fault fault, string? path = null, int times = 1, string? method = null)
    {
        lock (_gate)
            for (var i = 0; i < times; i++) _queue.Add((method, path, fault));
        return this;
    }

    /// <summary>Faults still waiting.</summary>
    public int Pending
    {
        get { lock (_gate) return _queue.Count; }
    }

    /// <summary>Drops every queued fault.</summary>
    public void Clear()
    {
        lock (_gate) _queue.Clear();
    }

    internal Fault? Take(string method, string path)
    {
        lock (_gate)
        {
            var index = _queue.FindIndex(f => Matches(f.Method, f.Path, method, path));
            if (index < 0) return null;
            var fault = _queue[index].Fault;
            _queue.RemoveAt(index);
            return fault;
        }
    }

    private static bool Matches(string? wantMethod, string? wantPath, string method, string path) =>
        (wantMethod is null || string.Equals(wantMethod, method, StringComparison.OrdinalIgnoreCase))
        && (wantPath is null
            || (wantPath.EndsWith('*') ? path.StartsWith(wantPath[..^1], StringComparison.Ordinal) : path == wantPath));
}
