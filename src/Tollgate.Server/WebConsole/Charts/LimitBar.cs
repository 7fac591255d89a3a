using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Tollgate.Server.WebConsole.Charts;

/// <summary>How close usage is to its limit.</summary>
public enum LimitState
{
    /// <summary>Below 80 % of the limit.</summary>
    Ok,

    /// <summary>At 80 % of the limit or more.</summary>
    Near,

    /// <summary>At the limit or past it: checks refuse more.</summary>
    Over,

    /// <summary>No limit applies (unlimited).</summary>
    Unlimited,
}

/// <summary>
/// Usage against a limit as a bar with its text: "7,340 of 10,000 (73%)", coloured when near (≥ 80 %) or at the limit,
/// with a marker at the soft limit, or "Unlimited". The text is always visible; the bar is a <c>meter</c> to assistive
/// technology with the same text as its value.
/// </summary>
public static class LimitBar
{
    /// <summary>The fraction of the limit at which usage counts as near it.</summary>
    public const double NearFraction = 0.8;

    /// <summary>The state of <paramref name="used"/> against <paramref name="limit"/> (null: unlimited).</summary>
    public static LimitState StateOf(long used, long? limit) => limit switch
    {
        null => LimitState.Unlimited,
        var l when used >= l => LimitState.Over,
        var l when used >= NearFraction * l => LimitState.Near,
        _ => LimitState.Ok,
    };

    /// <summary>"7,340 of 10,000 (73%)", or "7,340 used · unlimited".</summary>
    public static string Label(long used, long? limit) => limit is { } l
        ? $"{ChartNumbers.Whole(used)} of {ChartNumbers.Whole(l)} ({ChartNumbers.PercentOf(used, l)}%)"
        : $"{ChartNumbers.Whole(used)} used · unlimited";

    /// <summary>The bar. <paramref name="name"/> names what is measured ("API calls this month").</summary>
    public static IHtmlContent Render(string name, long used, long? limit, long? softLimit = null)
    {
        var state = StateOf(used, limit);
        var label = Label(used, limit);
        var stateText = state switch
        {
            LimitState.Over => used > limit ? "Over limit" : "At limit",
            LimitState.Near => "Near limit",
            _ => null,
        };
        var html = new StringBuilder(512);
        html.Append(CultureInfo.InvariantCulture, $"""<div class="limit-bar limit-bar--{state.ToString().ToLowerInvariant()}">""");
        html.Append(CultureInfo.InvariantCulture, $"""<div class="limit-bar__text"><span class="limit-bar__name">{Text(name)}</span> <span class="limit-bar__value">{Text(label)}</span>""");
        if (stateText is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $""" <span class="limit-bar__state">{stateText}</span>""");
        }

        html.Append("</div>");
        if (limit is { } l)
        {
            var percent = l <= 0 ? 100 : Math.Min(100, 100.0 * used / l);
            // A meter's value may not pass its maximum: usage past the limit shows a full bar and says so in its text.
            html.Append(CultureInfo.InvariantCulture, $"""<div class="limit-bar__track" role="meter" aria-label="{Text(name)}" aria-valuemin="0" aria-valuemax="{l}" aria-valuenow="{Math.Min(used, l)}" aria-valuetext="{Text(label + (stateText is null ? string.Empty : ", " + stateText.ToLowerInvariant()))}">""");
            // Drawn in SVG attributes rather than inline styles, which a strict Content-Security-Policy refuses.
            html.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" class="limit-bar__svg" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="limit-bar__bg" width="100" height="10" rx="0"/><rect class="limit-bar__fill" width="{percent:0.##}" height="10"/>""");
            if (softLimit is { } soft && l > 0 && soft < l)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<rect class="limit-bar__soft" x="{Math.Max(0, (100.0 * soft / l) - 0.4):0.##}" width="0.8" height="10"/>""");
            }

            html.Append("</svg>");
            html.Append("</div>");
            if (softLimit is { } s)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<div class="limit-bar__note">Soft limit {ChartNumbers.Whole(s)}</div>""");
            }
        }
        else
        {
            html.Append("""<div class="limit-bar__track limit-bar__track--unlimited" aria-hidden="true"></div>""");
        }

        return new HtmlString(html.Append("</div>").ToString());
    }

    private static string Text(string value) => WebUtility.HtmlEncode(value);
}
