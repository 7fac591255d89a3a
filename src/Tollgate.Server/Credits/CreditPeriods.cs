using Tollgate.Server.Companies;

namespace Tollgate.Server.Credits;

/// <summary>The period of a plan credit grant that contains an instant.</summary>
internal static class CreditPeriods
{
    /// <summary>Calendar periods count from a first of the month at midnight UTC.</summary>
    private static readonly DateTimeOffset CalendarAnchor = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Calendar weeks start on Sunday, as metric weeks do (spec §3.5).</summary>
    private static readonly DateTimeOffset SundayAnchor = new(2000, 1, 2, 0, 0, 0, TimeSpan.Zero);

    public static readonly (string Name, string Value)[] Cadences =
        [("daily", "daily"), ("weekly", "weekly"), ("monthly", "monthly"), ("quarterly", "quarterly"), ("every_6_months", "every_6_months"), ("yearly", "yearly")];

    /// <summary>
    /// The period containing <paramref name="now"/>: calendar periods for <c>first_of_month</c> (or a company without
    /// a subscription), else periods anchored on the subscription's start, at its day of month and time of day (a
    /// 31st falls on the last day of shorter months).
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) At(PlanCreditGrantRecord grant, SubscriptionPeriod? subscription, DateTimeOffset now)
    {
        var billing = grant.ResetStart == "billing_period" && subscription is not null;
        var anchor = billing ? subscription!.PeriodStart.ToUniversalTime() : grant.ResetCadence == "weekly" ? SundayAnchor : CalendarAnchor;
        var months = grant.ResetCadence switch
        {
            "monthly" => 1,
            "quarterly" => 3,
            "every_6_months" => 6,
            "yearly" => 12,
            _ => 0,
        };
        if (months == 0)
        {
            var length = TimeSpan.FromDays(grant.ResetCadence == "weekly" ? 7 : 1);
            var n = (long)Math.Floor((now - anchor) / length);
            var start = anchor + (n * length);
            return (start, start + length);
        }

        var elapsed = ((now.Year - anchor.Year) * 12) + now.Month - anchor.Month;
        var k = (int)Math.Floor(elapsed / (double)months) * months;
        while (anchor.AddMonths(k) > now)
        {
            k -= months;
        }

        while (anchor.AddMonths(k + months) <= now)
        {
            k += months;
        }

        return (anchor.AddMonths(k), anchor.AddMonths(k + months));
    }
}
