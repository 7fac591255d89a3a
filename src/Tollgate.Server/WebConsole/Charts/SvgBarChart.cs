using System.Globalization;
using System.Net;
using System.Text;

namespace Tollgate.Server.WebConsole.Charts;

/// <summary>
/// Draws a <see cref="BarChart"/> as inline SVG: a y axis with gridlines, one bar per point, a dashed limit line and a
/// dotted soft limit line, and an optional running-total line. No script: the page sends it as it is. It is an image to
/// assistive technology (<c>role="img"</c>, named by its <c>title</c> and described by its <c>desc</c>); the data
/// themselves are in the table <see cref="UsageChart"/> renders beside it.
/// </summary>
public static class SvgBarChart
{
    private const int Left = 52;
    private const int Right = 14;
    private const int Top = 22;
    private const int Bottom = 30;

    /// <summary>The SVG markup of <paramref name="chart"/> drawn in <paramref name="frame"/>.</summary>
    public static string Render(BarChart chart, ChartFrame frame)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var id = $"{chart.Id}-{frame.Name}";
        var points = chart.Points;
        var max = points.Count == 0 ? 0 : points.Max(p => Math.Max(p.Value, p.RunningTotal ?? 0));
        max = Math.Max(max, Math.Max(chart.Limit ?? 0, chart.SoftLimit ?? 0));
        // Headroom above the limit line so its label never touches the top.
        var (step, top) = ChartNumbers.Axis(chart.Limit is { } l && l >= max ? l + Math.Max(1, l / 8) : max);

        var plotWidth = frame.Width - Left - Right;
        var plotHeight = frame.Height - Top - Bottom;
        double Y(long value) => Top + plotHeight - (plotHeight * (double)value / top);

        var svg = new StringBuilder(4096);
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--{frame.Name}" viewBox="0 0 {frame.Width} {frame.Height}" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false" font-size="{frame.FontSize}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title id="{id}-title">{Text(chart.Title)}</title><desc id="{id}-desc">{Text(chart.Description)}</desc>""");

        // Gridlines and y labels.
        svg.Append("""<g class="chart-grid">""");
        for (var value = 0L; value <= top; value += step)
        {
            var y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{frame.Width - Right}" y1="{y:0.#}" y2="{y:0.#}" stroke="#e3e6ec" stroke-width="1"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 8}" y="{y + (frame.FontSize / 3.0):0.#}" text-anchor="end" fill="#5b6472">{ChartNumbers.Abbreviated(value)}</text>""");
        }

        svg.Append("</g>");

        // Bars and x labels.
        var band = points.Count == 0 ? plotWidth : plotWidth / (double)points.Count;
        var barWidth = Math.Min(band * 0.72, 44);
        var every = Math.Max(1, (int)Math.Ceiling(points.Count / (double)frame.MaxXLabels));
        svg.Append("""<g class="chart-bars">""");
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var x = Left + (band * i) + ((band - barWidth) / 2);
            var y = Y(p.Value);
            var over = chart.LimitAppliesToBars && chart.Limit is { } limit && p.Value >= limit;
            var kind = over ? "bar bar--over" : p.IsCurrent ? "bar bar--current" : "bar";
            var fill = over ? "#c0392b" : p.IsCurrent ? "#7aa7f5" : "#2f6fde";
            svg.Append(CultureInfo.InvariantCulture, $"""<rect class="{kind}" x="{x:0.##}" y="{y:0.##}" width="{barWidth:0.##}" height="{Top + plotHeight - y:0.##}" rx="2" fill="{fill}"><title>{Text(p.LongLabel)}: {ChartNumbers.Whole(p.Value)}</title></rect>""");
            // The last label is always shown (it is the current bucket); others are spaced evenly back from it.
            if ((points.Count - 1 - i) % every == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + (barWidth / 2):0.##}" y="{frame.Height - Bottom + frame.FontSize + 6}" text-anchor="middle" fill="#5b6472">{Text(p.Label)}</text>""");
            }
        }

        svg.Append("</g>");
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{frame.Width - Right}" y1="{Top + plotHeight}" y2="{Top + plotHeight}" stroke="#8a93a3" stroke-width="1"/>""");

        RunningTotal(svg, points, band, Left, Y);
        if (chart.SoftLimit is { } soft)
        {
            Threshold(svg, frame, "chart-soft-limit", Y(soft), $"Soft limit {ChartNumbers.Whole(soft)}", "2 4", "#b26a00", anchorEnd: false);
        }

        if (chart.Limit is { } hard)
        {
            Threshold(svg, frame, "chart-limit", Y(hard), $"Limit {ChartNumbers.Whole(hard)}", "7 5", "#b3261e", anchorEnd: true);
        }

        return svg.Append("</svg>").ToString();
    }

    private static void RunningTotal(StringBuilder svg, IReadOnlyList<ChartPoint> points, double band, int left, Func<long, double> y)
    {
        var line = new StringBuilder();
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].RunningTotal is { } total)
            {
                line.Append(CultureInfo.InvariantCulture, $"{left + (band * i) + (band / 2):0.##},{y(total):0.##} ");
            }
        }

        if (line.Length > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline class="chart-running-total" points="{line.ToString().TrimEnd()}" fill="none" stroke="#1d2433" stroke-width="2" stroke-linejoin="round"/>""");
        }
    }

    private static void Threshold(StringBuilder svg, ChartFrame frame, string kind, double y, string label, string dashes, string colour, bool anchorEnd)
    {
        var x = anchorEnd ? frame.Width - Right : Left + 4;
        svg.Append(CultureInfo.InvariantCulture, $"""<g class="{kind}"><line x1="{Left}" x2="{frame.Width - Right}" y1="{y:0.##}" y2="{y:0.##}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dashes}"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x}" y="{y - 5:0.##}" text-anchor="{(anchorEnd ? "end" : "start")}" fill="{colour}" font-weight="600">{Text(label)}</text></g>""");
    }

    private static string Text(string value) => WebUtility.HtmlEncode(value);
}
