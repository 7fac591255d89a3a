using Microsoft.Playwright;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>
/// One headless Chromium for the whole test run. Every browser test class used to start its own; with thirty-odd
/// classes starting side by side on a two-core machine, the launches alone starved the servers under test (a sign-in
/// page then missed Playwright's 30 s wait). Pages stay isolated: each one gets a browser context of its own (its own
/// cookies, storage and viewport), which is what separates two people, not the browser process.
/// </summary>
/// <remarks>
/// The browser lives until the test process ends: Playwright's driver, and the browser with it, exit with the process.
/// A launch that fails (no Chromium installed) fails every browser test with <see cref="Chromium"/>'s install hint.
/// </remarks>
public static class SharedChromium
{
    private static readonly Lazy<Task<IBrowser>> Browser = new(LaunchAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The run's browser, started on first use.</summary>
    public static Task<IBrowser> GetAsync() => Browser.Value;

    private static async Task<IBrowser> LaunchAsync()
    {
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        return await Chromium.LaunchAsync(playwright);
    }
}
