namespace Tollgate.Engine.Model;

/// <summary>
/// The company's current billing period. The bounds are kept as text because the reference engine accepts text it
/// cannot parse (the billing-cycle reset is then unknown).
/// </summary>
public sealed record Subscription
{
    /// <summary>The subscription's id.</summary>
    public required string Id { get; init; }

    /// <summary>Start of the period, RFC 3339.</summary>
    public required string PeriodStart { get; init; }

    /// <summary>End of the period, RFC 3339.</summary>
    public required string PeriodEnd { get; init; }
}
