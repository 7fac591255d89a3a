using Microsoft.Playwright;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>The two widths every console page is checked at.</summary>
public static class ScreenSize
{
    /// <summary>A laptop: 1280 × 800.</summary>
    public static ViewportSize Desktop => new() { Width = 1280, Height = 800 };

    /// <summary>A phone held upright: 390 × 844 (an iPhone 12 to 15's CSS pixels).</summary>
    public static ViewportSize Phone => new() { Width = 390, Height = 844 };
}
