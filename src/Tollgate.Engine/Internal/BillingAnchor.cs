namespace Tollgate.Engine.Internal;

/// <summary>A company subscription's period, parsed once; unparseable bounds leave billing-cycle resets unknown.</summary>
internal sealed class BillingAnchor
{
    public BillingAnchor(string periodStart, string periodEnd)
    {
        IsParsed = DateTextParser.TryParseRfc3339(periodStart, out var start) & DateTextParser.TryParseRfc3339(periodEnd, out var end);
        PeriodStart = start;
        PeriodEnd = end;
        AnchorDay = start.Date.Day;
        AnchorSecondOfDay = start.SecondOfDay;
    }

    /// <summary>The period start's day of month (UTC), on which monthly billing resets fall.</summary>
    public int AnchorDay { get; }

    /// <summary>The period start's time of day (UTC) in seconds; its nanoseconds are <see cref="PeriodStart"/>'s.</summary>
    public long AnchorSecondOfDay { get; }

    public bool IsParsed { get; }

    /// <summary>The last billing reset computed for this company, reused while it holds (see <see cref="ResetMemo"/>).</summary>
#pragma warning disable CA1051 // A field, so that it can be read and replaced with Volatile.
    public ResetMemo? Memo;
#pragma warning restore CA1051

    public Timestamp PeriodStart { get; }

    public Timestamp PeriodEnd { get; }
}
