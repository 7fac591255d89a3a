using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing.Outbound;

/// <summary>
/// The <c>outbound</c> area of <see cref="StripeSyncStatus"/>: what Tollgate last pushed or asked of Stripe, and the
/// last failure. Read, changed and written whole; concurrent writers may lose one another's latest entry, which only
/// makes the status older, never wrong about an operation.
/// </summary>
internal sealed class OutboundStatus(StripeSyncStatus status, TimeProvider time)
{
    /// <summary>Records a success of <paramref name="operation"/> (push, checkout_session, portal_session, subscription_change).</summary>
    public Task SucceededAsync(string environmentId, string operation, IReadOnlyDictionary<string, string?> details, CancellationToken cancellationToken) =>
        ChangeAsync(environmentId, document => document with
        {
            Last = new Dictionary<string, OutboundEntry>(document.Last, StringComparer.Ordinal) { [operation] = new OutboundEntry(time.GetUtcNow(), details) },
        }, cancellationToken);

    /// <summary>Records a failure of <paramref name="operation"/>.</summary>
    public Task FailedAsync(string environmentId, string operation, string message, CancellationToken cancellationToken) =>
        ChangeAsync(environmentId, document => document with { LastError = new OutboundError(time.GetUtcNow(), operation, message) }, cancellationToken);

    private async Task ChangeAsync(string environmentId, Func<OutboundDocument, OutboundDocument> change, CancellationToken cancellationToken)
    {
        var document = await status.ReadAsync<OutboundDocument>(environmentId, StripeSyncStatus.Outbound, cancellationToken).ConfigureAwait(false) ?? new OutboundDocument();
        await status.WriteAsync(environmentId, StripeSyncStatus.Outbound, change(document), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The stored <c>outbound</c> status document.</summary>
internal sealed record OutboundDocument
{
    /// <summary>The last success of each operation.</summary>
    [JsonPropertyName("last")]
    public IReadOnlyDictionary<string, OutboundEntry> Last { get; init; } = new Dictionary<string, OutboundEntry>();

    /// <summary>The last failure of any operation.</summary>
    [JsonPropertyName("last_error")]
    public OutboundError? LastError { get; init; }
}

/// <summary>One success: when, and what it concerned (ids).</summary>
internal sealed record OutboundEntry([property: JsonPropertyName("at")] DateTimeOffset At, [property: JsonPropertyName("details")] IReadOnlyDictionary<string, string?> Details);

/// <summary>One failure: when, which operation, why.</summary>
internal sealed record OutboundError(
    [property: JsonPropertyName("at")] DateTimeOffset At, [property: JsonPropertyName("operation")] string Operation, [property: JsonPropertyName("message")] string Message);
