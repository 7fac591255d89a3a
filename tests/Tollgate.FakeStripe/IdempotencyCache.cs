namespace Tollgate.FakeStripe;

/// <summary>
/// Stripe's idempotency: the first answer to (api key, Idempotency-Key) is replayed for the same method, path and
/// body; other parameters under the same key get 400 <c>idempotency_error</c>; a concurrent request with the key in
/// flight gets 409.
/// </summary>
internal sealed class IdempotencyCache
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    internal sealed class Entry(string fingerprint)
    {
        public string Fingerprint { get; } = fingerprint;
        public int Status { get; set; }
        public byte[]? Body { get; set; }
    }

    /// <summary>Claims the key, or returns the existing entry (complete or in flight).</summary>
    public (Entry Entry, bool Existing) Claim(string scope, string fingerprint)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(scope, out var existing)) return (existing, true);
            var entry = new Entry(fingerprint);
            _entries[scope] = entry;
            return (entry, false);
        }
    }

    public void Complete(Entry entry, int status, byte[] body)
    {
        lock (_gate) { entry.Status = status; entry.Body = body; }
    }

    /// <summary>Forgets a key whose request did not complete (so a retry runs it).</summary>
    public void Release(string scope)
    {
        lock (_gate) _entries.Remove(scope);
    }
}
