namespace Tollgate.Engine.Internal;

/// <summary>A company subscription's period, parsed once; unparseable bounds leave billing-cycle resets unknown.</summary>
internal sealed class BillingAnchor
{
    public BillingAnchor(string periodStart, string periodEnd)
    {
        IsParsed = DateTextParser.TryParseRfc3339(periodStart, out var start) & DateTextParser.TryParseRfc3339(periodEnd, out var end);
        PeriodStart = start;
        PeriodEnd = end;
    }

    public bool IsParsed { get; }

    public Timestamp PeriodStart { get; }

    public Timestamp PeriodEnd { get; }
}
