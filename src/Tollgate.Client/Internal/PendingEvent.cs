using System.Text.Json.Nodes;

namespace Tollgate.Client.Internal;

/// <summary>
/// One event as the capture endpoint takes it (<c>POST /batch</c>, spec §1.3). The idempotency key is fixed when the
/// event is made, so every retry of its batch carries the same key and Tollgate counts it once.
/// </summary>
internal sealed record PendingEvent(string Type, JsonObject Body, DateTimeOffset SentAt, string IdempotencyKey);
