using System.Xml.Linq;
using Tollgate.Server.Usage;
using Tollgate.Server.WebConsole.Charts;

namespace Tollgate.Server.Tests.Unit;

/// <summary>The server-rendered usage chart and limit bar: well-formed, accessible, and showing the data and the limit.</summary>
public sealed class UsageChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset June = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AMonthlyChartIsWellFormedSvgWithTheValuesTheLimitLineAndItsAccessibleText()
    {
        var history = History(UsageGranularity.Month, [(June.AddMonths(-2), 9_100), (June.AddMonths(-1), 12_004), (June, 7_340)], bucketIsLimitPeriod: true);

        var figure = XElement.Parse(UsageChart.Render(history, "usage-api<&>").ToString()!);

        var svgs = figure.Elements(Svg + "svg").ToList();
        Assert.Equal(["chart chart--wide", "chart chart--compact"], svgs.Select(s => (string?)s.Attribute("class")));
        foreach (var svg in svgs)
        {
            Assert.Equal("img", (string?)svg.Attribute("role"));
            Assert.Matches(@"^0 0 \d+ \d+$", (string?)svg.Attribute("viewBox"));
            var title = svg.Element(Svg + "title")!;
            var desc = svg.Element(Svg + "desc")!;
            Assert.Equal($"{title.Attribute("id")!.Value} {desc.Attribute("id")!.Value}", (string?)svg.Attribute("aria-labelledby"));
            Assert.Equal("API calls per month", title.Value);
            Assert.Contains("7,340 of a limit of 10,000 (73%)", desc.Value, StringComparison.Ordinal);
            Assert.Contains("highest 12,004 (May 2025)", desc.Value, StringComparison.Ordinal);
            Assert.Contains("Limit 10,000", svg.Descendants(Svg + "text").Select(t => t.Value));
            Assert.Equal("7 5", (string?)svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "chart-limit").Element(Svg + "line")!.Attribute("stroke-dasharray"));
            var bars = svg.Descendants(Svg + "rect").ToList();
            Assert.Equal(["bar", "bar bar--over", "bar bar--current"], bars.Select(b => (string?)b.Attribute("class")));
            Assert.Equal(["April 2025: 9,100", "May 2025: 12,004", "June 2025: 7,340"], bars.Select(b => b.Element(Svg + "title")!.Value));
            // Bar heights are proportional to the values.
            var heights = bars.Select(b => double.Parse((string)b.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(9_100 / 7_340.0, heights[0] / heights[2], 2);
        }

        var table = figure.Element("table")!;
        Assert.Equal("visually-hidden", (string?)table.Attribute("class"));
        Assert.Equal(
            [["April 2025", "9,100"], ["May 2025", "12,004"], ["June 2025 (so far)", "7,340"]],
            table.Element("tbody")!.Elements("tr").Select(r => r.Elements().Select(c => c.Value).ToArray()));
        Assert.Equal("usage-api---", (string?)figure.Attribute("id"));
    }

    [Fact]
    public void DailyBarsUnderAMonthlyLimitDrawTheRunningTotalOfThePeriodAgainstTheLimit()
    {
        var history = History(UsageGranularity.Day, [(June.AddDays(-2), 100), (June.AddDays(-1), 200), (June, 300), (June.AddDays(1), 400)], bucketIsLimitPeriod: false);

        var chart = UsageChart.Model(history, "daily");
        var svg = XElement.Parse(SvgBarChart.Render(chart, ChartFrame.Compact));

        Assert.Equal([null, null, 300L, 700L], chart.Points.Select(p => p.RunningTotal));
        Assert.False(chart.LimitAppliesToBars);
        Assert.Equal(10_000, chart.Limit);
        Assert.Single(svg.Descendants(Svg + "polyline"));
        Assert.DoesNotContain(svg.Descendants(Svg + "rect"), r => ((string?)r.Attribute("class"))!.Contains("over", StringComparison.Ordinal));
        Assert.Equal("Total this month", chart.RunningTotalName);
    }

    [Fact]
    public void AChartWithoutUsageOrLimitSaysSo()
    {
        var history = History(UsageGranularity.Week, [(June, 0), (June.AddDays(7), 0)], bucketIsLimitPeriod: false) with { Limit = null, SoftLimit = null, IsUnlimited = true, CounterUsage = 0 };

        var svg = XElement.Parse(SvgBarChart.Render(UsageChart.Model(history, "w"), ChartFrame.Wide));

        var desc = svg.Element(Svg + "desc")!.Value;
        Assert.Contains("no usage", desc, StringComparison.Ordinal);
        Assert.Contains("unlimited", desc, StringComparison.Ordinal);
        Assert.DoesNotContain(svg.Descendants(Svg + "g"), g => (string?)g.Attribute("class") == "chart-limit");
    }

    [Theory]
    [InlineData(7_340, 10_000L, "7,340 of 10,000 (73%)", "limit-bar--ok", null)]
    [InlineData(7_999, 10_000L, "7,999 of 10,000 (79%)", "limit-bar--ok", null)]
    [InlineData(8_000, 10_000L, "8,000 of 10,000 (80%)", "limit-bar--near", "Near limit")]
    [InlineData(9_999, 10_000L, "9,999 of 10,000 (99%)", "limit-bar--near", "Near limit")]
    [InlineData(10_000, 10_000L, "10,000 of 10,000 (100%)", "limit-bar--over", "At limit")]
    [InlineData(12_500, 10_000L, "12,500 of 10,000 (125%)", "limit-bar--over", "Over limit")]
    [InlineData(7_340, null, "7,340 used · unlimited", "limit-bar--unlimited", null)]
    public void TheLimitBarSaysUsageOfLimitAndColoursNearAndOver(long used, long? limit, string label, string state, string? stateText)
    {
        var bar = XElement.Parse(LimitBar.Render("API calls this month", used, limit, softLimit: limit is null ? null : 8_000).ToString()!);

        Assert.Equal($"limit-bar {state}", (string?)bar.Attribute("class"));
        Assert.Equal(label, bar.Descendants("span").Single(s => (string?)s.Attribute("class") == "limit-bar__value").Value);
        Assert.Equal(stateText, bar.Descendants("span").SingleOrDefault(s => (string?)s.Attribute("class") == "limit-bar__state")?.Value);
        var meter = bar.Descendants("div").SingleOrDefault(d => (string?)d.Attribute("role") == "meter");
        if (limit is { } l)
        {
            Assert.Equal(Math.Min(used, l).ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)meter!.Attribute("aria-valuenow"));
            Assert.StartsWith(label, (string?)meter.Attribute("aria-valuetext"), StringComparison.Ordinal);
            var soft = meter.Descendants(Svg + "rect").Single(r => (string?)r.Attribute("class") == "limit-bar__soft");
            Assert.Equal("79.6", (string?)soft.Attribute("x"));
        }
        else
        {
            Assert.Null(meter);
        }
    }

    private static FeatureUsageHistory History(UsageGranularity granularity, (DateTimeOffset Start, long Usage)[] buckets, bool bucketIsLimitPeriod) => new()
    {
        FeatureId = "feat_api",
        FeatureName = "API calls",
        EventSubtype = "api_call",
        Granularity = granularity,
        Buckets = [.. buckets.Select((b, i) => new UsageBucket(b.Start, i + 1 < buckets.Length ? buckets[i + 1].Start : null, b.Usage))],
        AllocationType = "numeric",
        Limit = 10_000,
        SoftLimit = 8_000,
        LimitPeriod = "current_month",
        MonthReset = "first_of_month",
        BucketIsLimitPeriod = bucketIsLimitPeriod,
        CurrentPeriodStart = June,
        CurrentPeriodEnd = June.AddMonths(1),
        CurrentPeriodUsage = 7_340,
        CounterUsage = 7_340,
    };
}
