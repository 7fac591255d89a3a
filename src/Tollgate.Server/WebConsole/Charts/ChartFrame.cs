namespace Tollgate.Server.WebConsole.Charts;

/// <summary>
/// The drawing box of one rendering of a chart, in SVG user units. The SVG scales to its container through its
/// viewBox; a page shows the wide frame on desktops and the compact one on phones, whose larger text stays legible when
/// a 390 px screen shrinks the drawing.
/// </summary>
/// <param name="Name">The frame's name, used in ids and the CSS class <c>chart--{name}</c>.</param>
/// <param name="Width">The viewBox width.</param>
/// <param name="Height">The viewBox height.</param>
/// <param name="FontSize">The axis labels' font size.</param>
/// <param name="MaxXLabels">The most bucket labels under the axis (others are skipped evenly).</param>
public readonly record struct ChartFrame(string Name, int Width, int Height, int FontSize, int MaxXLabels)
{
    /// <summary>For desktop widths: crisp at 1280 px.</summary>
    public static readonly ChartFrame Wide = new("wide", 760, 280, 12, 12);

    /// <summary>For phones: drawn about 1:1 at 390 px.</summary>
    public static readonly ChartFrame Compact = new("compact", 360, 240, 12, 4);
}
