namespace Tollgate.FakeStripe;

/// <summary>One injected misbehaviour: an optional delay, then (if <see cref="Status"/> is set) an error instead of the real answer.</summary>
/// <param name="Status">HTTP status to answer with (429, 500, 503...), or null to only delay and then answer normally.</param>
/// <param name="Delay">Latency added before answering.</param>
/// <param name="RetryAfterSeconds">Value of a <c>Retry-After</c> header, if any.</param>
/// <param name="ShouldRetry">Value of a <c>Stripe-Should-Retry</c> header, if any (Stripe.net retries a 429 only when it is true).</param>
public sealed record Fault(int? Status, TimeSpan Delay = default, int? RetryAfterSeconds = null, bool? ShouldRetry = null)
{
    /// <summary>A 429 <c>rate_limit</c> with <c>Retry-After</c>.</summary>
    public static Fault TooManyRequests(int retryAfterSeconds = 1, bool? shouldRetry = null) => new(429, default, retryAfterSeconds, shouldRetry);

    /// <summary>A 5xx <c>api_error</c> (500 by default).</summary>
    public static Fault ServerError(int status = 500) => new(status);

    /// <summary>Only added latency; the request then completes normally.</summary>
    public static Fault Latency(TimeSpan delay) => new(null, delay);
}
