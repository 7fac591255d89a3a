using Tollgate.Server.Requests;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Outbound;

/// <summary>A validated push request: the prices the version must have in Stripe, each in its slot.</summary>
internal sealed record PushPlan(IReadOnlyList<WantedPrice> Prices)
{
    /// <summary>The intervals Tollgate pushes prices for.</summary>
    public static readonly string[] Intervals = ["month", "year"];

    /// <summary>Validates the body; 400 naming the field.</summary>
    public static PushPlan From(PushPlanVersionRequest? request)
    {
        if (request is null)
        {
            Errors.BadRequest("body", "is required");
        }

        var wanted = new List<WantedPrice>();
        foreach (var (price, i) in (request.Prices ?? []).Select((p, i) => (p, i)))
        {
            var field = $"prices[{i}]";
            if (price is null)
            {
                Errors.BadRequest(field, "is required");
            }

            wanted.Add(new WantedPrice(
                field,
                Interval(price.Interval, $"{field}.interval", required: true),
                Amount(price.UnitAmount, $"{field}.unit_amount"),
                Currency(price.Currency, $"{field}.currency"),
                price.PerSeat == true ? OutboundMetadata.PerSeat : OutboundMetadata.Flat,
                null,
                null));
        }

        foreach (var (metered, i) in (request.Metered ?? []).Select((p, i) => (p, i)))
        {
            var field = $"metered[{i}]";
            if (metered is null)
            {
                Errors.BadRequest(field, "is required");
            }

            wanted.Add(new WantedPrice(
                field,
                Interval(metered.Interval, $"{field}.interval", required: false),
                Amount(metered.UnitAmount, $"{field}.unit_amount"),
                Currency(metered.Currency, $"{field}.currency"),
                OutboundMetadata.Metered,
                Validate.Required(metered.EventSubtype, $"{field}.event_subtype"),
                metered.MeterId is null ? null : Validate.Required(metered.MeterId, $"{field}.meter_id")));
        }

        if (wanted.Count == 0)
        {
            Errors.BadRequest("prices", "name at least one price (or metered price)");
        }

        var slots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var price in wanted)
        {
            if (!slots.Add(price.Slot))
            {
                Errors.BadRequest(price.Field, price.EventSubtype is null
                    ? $"a second {price.Interval} price: a version has one base price per interval"
                    : $"a second {price.Interval} metered price for '{price.EventSubtype}'");
            }
        }

        return new PushPlan(wanted);
    }

    private static string Interval(string? interval, string field, bool required) =>
        interval is null && !required ? "month" : Validate.OneOf(interval, field, ("month", "month"), ("year", "year"));

    private static long Amount(long? amount, string field)
    {
        if (amount is null)
        {
            Errors.BadRequest(field, "is required (in the currency's smallest unit, e.g. cents)");
        }

        if (amount < 0 || amount > 99_999_999)
        {
            Errors.BadRequest(field, "must be between 0 and 99999999");
        }

        return amount.Value;
    }

    private static string Currency(string? currency, string field)
    {
        if (currency is null)
        {
            return "usd";
        }

        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
        {
            Errors.BadRequest(field, "must be a three-letter ISO currency code, e.g. usd");
        }

        return currency.ToLowerInvariant();
    }
}

/// <summary>One price a version must have: its slot (interval, kind, event subtype) and its terms.</summary>
internal sealed record WantedPrice(string Field, string Interval, long UnitAmount, string Currency, string Kind, string? EventSubtype, string? MeterId)
{
    /// <summary>At most one price of a version per slot: one base price per interval, one metered price per subtype and interval.</summary>
    public string Slot => Kind == OutboundMetadata.Metered ? $"{Interval}:metered:{EventSubtype}" : $"{Interval}:base";

    /// <summary>Stripe's usage type for it.</summary>
    public string UsageType => Kind == OutboundMetadata.Metered ? StripeUsageTypes.Metered : StripeUsageTypes.Licensed;

    /// <summary>The slot of a stored price, from its interval and the metadata Tollgate put on it; null for prices Tollgate did not push.</summary>
    public static string? SlotOf(BillingPriceRecord price)
    {
        ArgumentNullException.ThrowIfNull(price);
        if (price.Interval is null || !price.Metadata.TryGetValue(OutboundMetadata.PriceKind, out var kind))
        {
            return null;
        }

        return kind == OutboundMetadata.Metered
            ? $"{price.Interval}:metered:{price.Metadata.GetValueOrDefault(OutboundMetadata.EventSubtype)}"
            : $"{price.Interval}:base";
    }

    /// <summary>True when the stored price already charges what is wanted (Stripe prices are immutable: otherwise a new one is made).</summary>
    public bool IsMetBy(BillingPriceRecord price, string? meterId)
    {
        ArgumentNullException.ThrowIfNull(price);
        return price.Active && SlotOf(price) == Slot && price.UnitAmount == UnitAmount && price.Currency == Currency && price.IntervalCount == 1
            && price.Metadata.GetValueOrDefault(OutboundMetadata.PriceKind) == Kind && (Kind != OutboundMetadata.Metered || price.MeterId == meterId);
    }
}
