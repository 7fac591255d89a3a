namespace Tollgate.Server.Billing.Outbound;

/// <summary>
/// Price metadata Tollgate adds to the prices it pushes (beside <see cref="StripeCompanyKeys"/>' ids) so that a price
/// read back from Stripe says what it charges for: flat, per seat, or metered usage of one event subtype.
/// </summary>
internal static class OutboundMetadata
{
    /// <summary>The price's kind: <see cref="Flat"/>, <see cref="PerSeat"/> or <see cref="Metered"/>.</summary>
    public const string PriceKind = "tollgate_price_kind";

    /// <summary>The event subtype a metered price bills.</summary>
    public const string EventSubtype = "tollgate_event_subtype";

    public const string Flat = "flat";
    public const string PerSeat = "per_seat";
    public const string Metered = "metered";
}
