namespace Tollgate.Server.WebConsole.Charts;

/// <summary>One bar of a bar chart.</summary>
/// <param name="Label">The short axis label ("Jun 3").</param>
/// <param name="LongLabel">The full label the data table and the tooltip show ("Tue 3 Jun 2025").</param>
/// <param name="Value">The bar's height.</param>
/// <param name="IsCurrent">True for the bucket still running (drawn lighter: it is not complete).</param>
/// <param name="RunningTotal">The running total within the limit's current period at this bar, when the chart draws one.</param>
public sealed record ChartPoint(string Label, string LongLabel, long Value, bool IsCurrent, long? RunningTotal = null);
