namespace Tollgate.Reliability;

/// <summary>The events the cases send, in the shape Schematic's SDKs post to <c>/batch</c>.</summary>
internal static class Events
{
    /// <summary>One use of <c>api_call</c> by the company, carrying <paramref name="marker"/> in its traits (and as its idempotency key when keyed).</summary>
    public static object Track(string company, string marker, bool keyed, long quantity = 1) => new
    {
        type = "track",
        body = new { @event = "api_call", company = new { id = company }, quantity, traits = new { marker } },
        sent_at = DateTimeOffset.UtcNow,
        idempotency_key = keyed ? marker : null,
    };
}
