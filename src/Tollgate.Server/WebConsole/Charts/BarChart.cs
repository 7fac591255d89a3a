namespace Tollgate.Server.WebConsole.Charts;

/// <summary>What a bar chart shows: the bars, an optional limit line and soft limit line, and its accessible text.</summary>
public sealed record BarChart
{
    /// <summary>A prefix unique in the page for the ids of the chart's title and description (letters, digits, '-' and '_'; others become '-').</summary>
    public required string Id
    {
        get;
        init => field = SafeId(value);
    }

    /// <summary>The chart's title (its accessible name).</summary>
    public required string Title { get; init; }

    /// <summary>A summary of the data in words (its accessible description).</summary>
    public required string Description { get; init; }

    /// <summary>What a value counts, for the data table's header ("API calls").</summary>
    public required string ValueName { get; init; }

    /// <summary>The bars, oldest first.</summary>
    public required IReadOnlyList<ChartPoint> Points { get; init; }

    /// <summary>The limit line's value, if one is drawn.</summary>
    public long? Limit { get; init; }

    /// <summary>The soft limit line's value, if one is drawn.</summary>
    public long? SoftLimit { get; init; }

    /// <summary>True when the limit applies to each bar (bars above it are drawn as over); false when it applies to the running total.</summary>
    public bool LimitAppliesToBars { get; init; }

    /// <summary>The label of the running-total line and column ("Total this month").</summary>
    public string RunningTotalName { get; init; } = "Running total";

    /// <summary>An id that needs no escaping in HTML, SVG or a CSS selector.</summary>
    public static string SafeId(string id) =>
        string.Create(id.Length, id, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-';
            }
        });
}
