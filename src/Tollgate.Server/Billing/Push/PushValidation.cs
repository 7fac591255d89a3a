using Tollgate.Server.Requests;

namespace Tollgate.Server.Billing.Push;

/// <summary>Field checks shared by the billing pushes (400 naming the field).</summary>
internal static class PushValidation
{
    /// <summary>The intervals a price may have on the wire; <c>one-time</c> (or empty) is stored as none.</summary>
    private static readonly string[] Intervals = ["day", "week", "month", "year", "one-time"];

    /// <summary>A three-letter currency code, lowercased.</summary>
    public static string Currency(string? value, string field)
    {
        var currency = Validate.Required(value, field).Trim();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
        {
            Errors.BadRequest(field, "must be a three-letter ISO currency code");
        }

        return currency.ToLowerInvariant();
    }

    /// <summary>A price interval: <c>day</c>, <c>week</c>, <c>month</c> or <c>year</c>; null for one-time (<c>one-time</c> or empty).</summary>
    public static string? Interval(string? value, string field)
    {
        if (string.IsNullOrEmpty(value) || value == "one-time")
        {
            return null;
        }

        if (!Intervals.Contains(value))
        {
            Errors.BadRequest(field, $"must be one of {string.Join(", ", Intervals)}");
        }

        return value;
    }

    /// <summary>The tiers of a price, in order; each bound above the previous one, only the last unbounded.</summary>
    public static IReadOnlyList<BillingPriceTierRecord> Tiers(IReadOnlyList<UpsertBillingPriceTier?>? given, string field)
    {
        if (given is null)
        {
            Errors.BadRequest(field, "is required (an empty list for a price without tiers)");
        }

        var tiers = new List<BillingPriceTierRecord>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            var tier = given[i] ?? throw new RequestException(StatusCodes.Status400BadRequest, $"{field}[{i}]: must be an object");
            if (tier.UpTo is { } upTo && (upTo < 1 || (tiers.Count > 0 && (tiers[^1].UpTo is null || upTo <= tiers[^1].UpTo))))
            {
                Errors.BadRequest($"{field}[{i}].up_to", "must be above the previous tier's, and only the last tier may be unbounded");
            }

            if (tier.UpTo is null && i != given.Count - 1)
            {
                Errors.BadRequest($"{field}[{i}].up_to", "only the last tier may be unbounded");
            }

            tiers.Add(new BillingPriceTierRecord(tier.UpTo, tier.FlatAmount, tier.PerUnitPrice, Validate.Bounded(tier.PerUnitDecimal, $"{field}[{i}].per_unit_decimal")));
        }

        return tiers;
    }

    /// <summary>Unix seconds as an instant; 400 for values outside the representable range.</summary>
    public static DateTimeOffset? Seconds(long? value, string field)
    {
        if (value is not { } seconds)
        {
            return null;
        }

        if (seconds is < 0 or > 253402300799)
        {
            Errors.BadRequest(field, "must be a Unix time in seconds");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }
}
