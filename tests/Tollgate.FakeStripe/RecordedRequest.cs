using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe;

/// <summary>One request the fake received, as the tests can assert on it.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path without the query.</param>
/// <param name="Query">Raw query string (with <c>?</c>) or empty.</param>
/// <param name="Body">Raw body text.</param>
/// <param name="Params">Query and body parameters parsed from bracket notation (v1) or JSON (v2).</param>
/// <param name="Headers">Request headers (first value of each).</param>
/// <param name="Status">HTTP status answered.</param>
/// <param name="Replayed">True when answered from the idempotency cache.</param>
/// <param name="Faulted">True when answered by an injected fault.</param>
/// <param name="AccountKey">The secret key of the account the request reached; null when it named none the fake knows.</param>
public sealed record RecordedRequest(
    string Method, string Path, string Query, string Body, JsonObject Params,
    IReadOnlyDictionary<string, string> Headers, int Status, bool Replayed, bool Faulted, string? AccountKey)
{
    /// <summary>The <c>Idempotency-Key</c> header, if sent.</summary>
    public string? IdempotencyKey => Headers.GetValueOrDefault("Idempotency-Key");

    /// <summary>The <c>Stripe-Version</c> header, if sent.</summary>
    public string? StripeVersion => Headers.GetValueOrDefault("Stripe-Version");
}
