using Stripe;

namespace Tollgate.Stripe;

/// <summary>
/// Where Stripe's API answers: Stripe itself in production, a fake in tests. Bases carry no trailing slash (Stripe.net
/// appends paths verbatim).
/// </summary>
public sealed record StripeEndpoints(string ApiBase, string MeterEventsBase)
{
    /// <summary>Stripe's own hosts.</summary>
    public static StripeEndpoints Production { get; } = new(StripeClient.DefaultApiBase, StripeClient.DefaultMeterEventsBase);

    /// <summary>Both bases on one host (a fake serves the meter event stream beside the API).</summary>
    public static StripeEndpoints At(string baseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        var trimmed = baseUrl.TrimEnd('/');
        return new StripeEndpoints(trimmed, trimmed);
    }
}
