using Tollgate.Server.Companies;

namespace Tollgate.Server.Usage;

/// <summary>
/// The buckets of a usage history, cut where the usage counters' periods end. A counter holds the events whose
/// <see cref="UsagePeriods.NextReset"/> is its bucket, so walking the boundaries with that same function gives
/// periods [b₍ᵢ₋₁₎, bᵢ) that hold exactly the events of counter bᵢ: the history and the counters cannot disagree on
/// where a period starts or ends, whatever month lengths, week days or billing anchors do.
/// </summary>
internal static class UsageBuckets
{
    /// <summary>The most buckets one history holds.</summary>
    public const int MaxCount = 400;

    /// <summary>
    /// The start instants of <paramref name="count"/> consecutive periods of <paramref name="period"/>, the last one
    /// containing <paramref name="now"/>, followed by that last period's end. When the last period has no end (a
    /// billing period that ended without a renewal: every later event lands in its final counter), the end is null.
    /// </summary>
    public static (IReadOnlyList<DateTimeOffset> Starts, DateTimeOffset? End) Ending(UsagePeriod period, int count, DateTimeOffset now, SubscriptionPeriod? subscription)
    {
        if (period == UsagePeriod.AllTime)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "all time has a single bucket");
        }

        // Start safely before the first wanted period (months are at most 31 days, weeks 7, and the walk's first
        // boundary may be a partial period), then keep the last count + 1 boundaries.
        var reach = period switch
        {
            UsagePeriod.Day => TimeSpan.FromDays(count + 2),
            UsagePeriod.Week => TimeSpan.FromDays(7 * (count + 2)),
            _ => TimeSpan.FromDays(31 * (count + 2)),
        };
        var boundaries = new List<DateTimeOffset>();
        var at = now - reach;
        var walkedBack = false;
        DateTimeOffset? end = null;
        while (true)
        {
            var next = UsagePeriods.NextReset(period, at, subscription)!.Value;
            if (next <= at)
            {
                // The billing period ended at `next` and was not renewed: NextReset answers that end for every later
                // instant, so its last counter holds everything from the boundary before it on — one open period.
                if (boundaries.Count == 0 && !walkedBack)
                {
                    (at, walkedBack) = (next - reach, true);
                    continue;
                }

                if (boundaries.Count > 0 && boundaries[^1] == next)
                {
                    boundaries.RemoveAt(boundaries.Count - 1);
                }

                break;
            }

            if (next > now)
            {
                end = next;
                break;
            }

            boundaries.Add(next);
            at = next;
        }

        var starts = boundaries.Count > count ? boundaries.GetRange(boundaries.Count - count, count) : boundaries;
        return (starts, end);
    }

    /// <summary>The start of the period of <paramref name="period"/> containing <paramref name="now"/> and its end (null: open, or all time).</summary>
    public static (DateTimeOffset Start, DateTimeOffset? End) Current(UsagePeriod period, DateTimeOffset now, SubscriptionPeriod? subscription)
    {
        if (period == UsagePeriod.AllTime)
        {
            return (DateTimeOffset.UnixEpoch, null);
        }

        var (starts, end) = Ending(period, 1, now, subscription);
        return (starts.Count > 0 ? starts[0] : DateTimeOffset.UnixEpoch, end);
    }

    /// <summary>The counter period a history of <paramref name="granularity"/> is cut by, for an entitlement of <paramref name="entitlementPeriod"/>.</summary>
    public static UsagePeriod PeriodOf(UsageGranularity granularity, UsagePeriod entitlementPeriod) => granularity switch
    {
        UsageGranularity.Day => UsagePeriod.Day,
        UsageGranularity.Week => UsagePeriod.Week,
        // Months follow the entitlement: a limit that resets on the billing anchor is charted by billing months, so
        // the current month's bar is the usage the limit is held against.
        _ => entitlementPeriod == UsagePeriod.MonthFromBillingAnchor ? UsagePeriod.MonthFromBillingAnchor : UsagePeriod.MonthFromFirst,
    };
}
