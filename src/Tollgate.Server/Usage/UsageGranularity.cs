namespace Tollgate.Server.Usage;

/// <summary>The width of one bucket of a usage history: a UTC day, a week from Sunday, or a month.</summary>
public enum UsageGranularity
{
    /// <summary>A UTC day, midnight to midnight.</summary>
    Day,

    /// <summary>A week from Sunday 00:00 UTC (the metric week of spec §3.5).</summary>
    Week,

    /// <summary>A month: from the 1st, or from the billing anchor when the entitlement resets on the billing cycle.</summary>
    Month,
}
