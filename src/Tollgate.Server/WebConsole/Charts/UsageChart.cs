using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using Tollgate.Server.Usage;

namespace Tollgate.Server.WebConsole.Charts;

/// <summary>
/// A company's usage of one feature over time as a figure: the bar chart in a wide and a compact frame (CSS shows one),
/// and the same data as a table for screen readers and anyone who wants the numbers.
/// </summary>
public static class UsageChart
{
    /// <summary>The chart's model: labels, the limit line where it applies, and the running total within the current period.</summary>
    public static BarChart Model(FeatureUsageHistory history, string id)
    {
        ArgumentNullException.ThrowIfNull(history);
        var granularity = Unit(history.Granularity);
        var last = history.Buckets.Count - 1;
        // A limit per month says nothing about one day's bar: with finer buckets, the running total within the
        // current period is what meets the limit.
        var running = history.Limit is not null && !history.BucketIsLimitPeriod && history.Buckets.Count > 0;
        long total = 0;
        var points = new List<ChartPoint>(history.Buckets.Count);
        for (var i = 0; i < history.Buckets.Count; i++)
        {
            var b = history.Buckets[i];
            long? runningTotal = null;
            if (running && b.Start >= history.CurrentPeriodStart)
            {
                total += b.Usage;
                runningTotal = total;
            }

            points.Add(new ChartPoint(ShortLabel(history.Granularity, b), LongLabel(history.Granularity, b), b.Usage, i == last, runningTotal));
        }

        var limitDrawn = history.Limit is not null && (history.BucketIsLimitPeriod || running);
        return new BarChart
        {
            Id = id,
            Title = $"{history.FeatureName} per {granularity}",
            Description = Describe(history, points, limitDrawn),
            ValueName = history.FeatureName,
            Points = points,
            Limit = limitDrawn ? history.Limit : null,
            SoftLimit = limitDrawn ? history.SoftLimit : null,
            LimitAppliesToBars = history.BucketIsLimitPeriod,
            RunningTotalName = $"Total this {PeriodNoun(history.LimitPeriod)}",
        };
    }

    /// <summary>The figure: both frames of the chart and the data table.</summary>
    public static IHtmlContent Render(FeatureUsageHistory history, string id)
    {
        var chart = Model(history, id);
        var html = new StringBuilder(8192);
        html.Append(CultureInfo.InvariantCulture, $"""<figure class="usage-chart" id="{chart.Id}">""");
        html.Append(SvgBarChart.Render(chart, ChartFrame.Wide));
        html.Append(SvgBarChart.Render(chart, ChartFrame.Compact));
        html.Append(CultureInfo.InvariantCulture, $"""<table class="visually-hidden"><caption>{Text(chart.Title)}</caption><thead><tr><th scope="col">Period</th><th scope="col">{Text(chart.ValueName)}</th>""");
        var withTotals = chart.Points.Any(p => p.RunningTotal is not null);
        if (withTotals)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<th scope="col">{Text(chart.RunningTotalName)}</th>""");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var p in chart.Points)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<tr><th scope="row">{Text(p.LongLabel)}{(p.IsCurrent ? " (so far)" : string.Empty)}</th><td>{ChartNumbers.Whole(p.Value)}</td>""");
            if (withTotals)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{(p.RunningTotal is { } t ? ChartNumbers.Whole(t) : "—")}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></figure>");
        return new HtmlString(html.ToString());
    }

    private static string Describe(FeatureUsageHistory h, List<ChartPoint> points, bool limitDrawn)
    {
        if (points.Count == 0)
        {
            return $"No {Unit(h.Granularity)}s to show.";
        }

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{h.FeatureName} per {Unit(h.Granularity)}, {points[0].LongLabel} to {points[^1].LongLabel}: ");
        var sum = points.Sum(p => p.Value);
        if (sum == 0)
        {
            text.Append("no usage.");
        }
        else
        {
            var peak = points.MaxBy(p => p.Value)!;
            text.Append(CultureInfo.InvariantCulture, $"{ChartNumbers.Whole(sum)} in all, highest {ChartNumbers.Whole(peak.Value)} ({peak.LongLabel}).");
        }

        text.Append(CultureInfo.InvariantCulture, $" This {PeriodNoun(h.LimitPeriod)}: {ChartNumbers.Whole(h.CounterUsage)}");
        if (h.Limit is { } limit)
        {
            text.Append(CultureInfo.InvariantCulture, $" of a limit of {ChartNumbers.Whole(limit)} ({ChartNumbers.PercentOf(h.CounterUsage, limit)}%)");
            if (h.SoftLimit is { } soft)
            {
                text.Append(CultureInfo.InvariantCulture, $", soft limit {ChartNumbers.Whole(soft)}");
            }
        }
        else if (h.IsUnlimited)
        {
            text.Append(", unlimited");
        }

        text.Append('.');
        if (h.CurrentPeriodEnd is { } end && h.LimitPeriod is not null and not "all_time")
        {
            text.Append(CultureInfo.InvariantCulture, $" It resets {end:d MMM yyyy HH:mm} UTC.");
        }

        if (h.Limit is not null && !limitDrawn)
        {
            text.Append(CultureInfo.InvariantCulture, $" The limit applies per {PeriodNoun(h.LimitPeriod)}, so it is not drawn on these bars.");
        }

        return text.ToString();
    }

    /// <summary>"day", "week", "month".</summary>
    public static string Unit(UsageGranularity granularity) => granularity switch
    {
        UsageGranularity.Day => "day",
        UsageGranularity.Week => "week",
        _ => "month",
    };

    /// <summary>The noun of a metric period: "month" for <c>current_month</c>; "period" when there is none.</summary>
    public static string PeriodNoun(string? limitPeriod) => limitPeriod switch
    {
        "current_day" => "day",
        "current_week" => "week",
        "current_month" => "month",
        "all_time" => "all time",
        _ => "month",
    };

    private static string ShortLabel(UsageGranularity granularity, UsageBucket b) => granularity switch
    {
        UsageGranularity.Month when b.Start.Day == 1 && b.Start.TimeOfDay == TimeSpan.Zero => b.Start.Month == 1
            ? b.Start.ToString("MMM yy", CultureInfo.InvariantCulture)
            : b.Start.ToString("MMM", CultureInfo.InvariantCulture),
        _ => b.Start.ToString("MMM d", CultureInfo.InvariantCulture),
    };

    private static string LongLabel(UsageGranularity granularity, UsageBucket b) => granularity switch
    {
        UsageGranularity.Day => b.Start.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture),
        UsageGranularity.Week => "Week of " + b.Start.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        _ when b.Start.Day == 1 && b.Start.TimeOfDay == TimeSpan.Zero => b.Start.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
        _ => b.End is { } end
            ? $"{b.Start.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} – {end.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}"
            : "From " + b.Start.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
    };

    private static string Text(string value) => WebUtility.HtmlEncode(value);
}
