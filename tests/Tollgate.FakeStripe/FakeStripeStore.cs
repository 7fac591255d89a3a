using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe;

/// <summary>
/// The fake's in-memory Stripe account: objects by id (as Stripe-shaped JSON), the event log and accepted meter events.
/// Every read or write happens under <see cref="Gate"/>; request handlers and test helpers both take it.
/// </summary>
public sealed class FakeStripeStore(TimeProvider time)
{
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<JsonObject> _events = [];
    private readonly List<MeterEventRecord> _meterEvents = [];
    private readonly List<MeterEventError> _meterEventErrors = [];

    /// <summary>The lock every access takes.</summary>
    internal object Gate { get; } = new();

    /// <summary>The clock behind <c>created</c>, periods and session expiry.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>
    /// Raised with a copy of each new event, e.g. for a webhook sender to queue. It runs under <see cref="Gate"/>:
    /// handlers must be quick and must not call back into the fake.
    /// </summary>
    public event Action<JsonObject>? EventEmitted;

    internal long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The API request being handled (for events' <c>request</c> field); null for simulated changes.</summary>
    internal (string? Id, string? IdempotencyKey)? CurrentRequest { get; set; }

    /// <summary>A copy of the stored object with this id, or null.</summary>
    public JsonObject? Snapshot(string id)
    {
        lock (Gate) return Find(id)?.DeepClone().AsObject();
    }

    /// <summary>Every event emitted so far, oldest first (copies).</summary>
    public IReadOnlyList<JsonObject> Events
    {
        get { lock (Gate) return [.. _events.Select(e => e.DeepClone().AsObject())]; }
    }

    /// <summary>Every meter event accepted (v1 and v2 stream), oldest first.</summary>
    public IReadOnlyList<MeterEventRecord> MeterEvents
    {
        get { lock (Gate) return [.. _meterEvents]; }
    }

    internal JsonObject Add(JsonObject obj)
    {
        var id = (string)obj["id"]!;
        _objects[id] = obj;
        _order.Add(id);
        return obj;
    }

    internal JsonObject? Find(string id) => _objects.GetValueOrDefault(id);

    internal JsonObject Get(string kind, string id, string param = "id") =>
        Find(id) is { } o && (string?)o["object"] == kind ? o : throw StripeApiException.Missing(kind.Replace('.', ' ').Replace("billing ", "", StringComparison.Ordinal), id, param);

    internal void Remove(string id)
    {
        _objects.Remove(id);
        _order.Remove(id);
    }

    /// <summary>Objects of one kind, newest first (Stripe's list order).</summary>
    internal IEnumerable<JsonObject> All(string kind)
    {
        for (var i = _order.Count - 1; i >= 0; i--)
            if (_objects[_order[i]] is var o && (string?)o["object"] == kind) yield return o;
    }

    internal IEnumerable<JsonObject> AllEvents() => Enumerable.Reverse(_events);

    /// <summary>
    /// Events the v2 stream accepted on the wire but dropped on (asynchronous, in Stripe) validation; Stripe reports
    /// these through <c>v1.billing.meter.error_report_triggered</c>.
    /// </summary>
    public IReadOnlyList<MeterEventError> MeterEventErrors
    {
        get { lock (Gate) return [.. _meterEventErrors]; }
    }

    internal List<MeterEventRecord> MeterEventsUnlocked() => _meterEvents;

    internal void AddMeterEvent(MeterEventRecord record) => _meterEvents.Add(record);

    internal void AddMeterEventError(MeterEventError error) => _meterEventErrors.Add(error);

    /// <summary>Marks the event with this identifier canceled (a meter event adjustment); false if none is live.</summary>
    internal bool CancelMeterEvent(string eventName, string identifier)
    {
        var index = _meterEvents.FindIndex(e => e.Identifier == identifier && e.EventName == eventName && !e.Canceled);
        if (index < 0) return false;
        _meterEvents[index] = _meterEvents[index] with { Canceled = true };
        return true;
    }

    // Stripe dedupes identifiers over a rolling window of at least 24 h; tests run well inside it.
    internal bool HasMeterIdentifier(string identifier) => _meterEvents.Any(e => e.Identifier == identifier);

    /// <summary>Appends an event carrying a snapshot of <paramref name="obj"/> and raises <see cref="EventEmitted"/>.</summary>
    internal JsonObject Emit(string type, JsonObject obj, JsonObject? previousAttributes = null)
    {
        var evt = StripeEventJson.Build(type, obj.DeepClone().AsObject(), previousAttributes, Now);
        if (CurrentRequest is { } request)
            evt["request"] = new JsonObject { ["id"] = request.Id, ["idempotency_key"] = request.IdempotencyKey };
        _events.Add(evt);
        EventEmitted?.Invoke(evt.DeepClone().AsObject());
        return evt;
    }

    /// <summary>Top-level fields of <paramref name="before"/> that differ in <paramref name="after"/> (Stripe's previous_attributes).</summary>
    internal static JsonObject? Diff(JsonObject before, JsonObject after)
    {
        var diff = new JsonObject();
        foreach (var (key, value) in before)
            if (!JsonNode.DeepEquals(value, after[key])) diff[key] = value?.DeepClone();
        return diff.Count == 0 ? null : diff;
    }
}
