namespace Tollgate.Server.Billing;

/// <summary>Price intervals as Schematic's <c>BillingProductPriceInterval</c> names them: day, month, year or one-time.</summary>
internal static class BillingIntervals
{
    /// <summary>
    /// The wire interval and count of a price: a one-time price (no interval) is <c>one-time</c>; a weekly one, which
    /// Schematic's enum lacks, is the same span in days (every 2 weeks = every 14 days).
    /// </summary>
    public static (string Interval, long Count) OnTheWire(BillingPriceRecord price) => price.Interval switch
    {
        null => ("one-time", price.IntervalCount),
        "week" => ("day", price.IntervalCount * 7),
        var interval => (interval, price.IntervalCount),
    };
}
