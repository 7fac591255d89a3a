using Microsoft.Playwright;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>
/// Debian's Chromium, driven by Playwright. Playwright's own browser downloads are not used (the machines that run the
/// tests reach no download site): the browser is the one at <c>/usr/bin/chromium</c>, or wherever
/// <c>TOLLGATE_CHROMIUM</c> points. A missing browser fails the browser tests with a message saying how to install it;
/// they never skip.
/// </summary>
public static class Chromium
{
    /// <summary>The environment variable that overrides where the browser is.</summary>
    public const string Variable = "TOLLGATE_CHROMIUM";

    /// <summary>Where Debian's <c>chromium</c> package installs the browser.</summary>
    public const string DebianPath = "/usr/bin/chromium";

    /// <summary>The browser's path: <c>TOLLGATE_CHROMIUM</c> when set, else Debian's.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : DebianPath;

    /// <summary>Starts a headless Chromium; throws, naming the install command, when there is none.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => LaunchAsync(playwright, ExecutablePath);

    /// <summary>Starts the headless Chromium at <paramref name="path"/>; throws, naming the install command, when there is none.</summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, string path)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The browser tests need Chromium, and there is none at {path}. Install Debian's: `apt-get install chromium` " +
                $"(or set {Variable} to a Chromium executable). .ci/run installs it; the tests never skip without it.");
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,

            // Chromium's sandbox refuses to run as root; Playwright passes --no-sandbox exactly when this is false.
            ChromiumSandbox = !RunsAsRoot(),
        });
    }

    /// <summary>Whether this process runs as root (uid 0), read from the kernel's view of the process.</summary>
    private static bool RunsAsRoot()
    {
        // /proc/self/status has "Uid:\t<real>\t<effective>\t<saved>\t<fs>"; the effective one decides.
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var ids = line["Uid:".Length..].Split('\t', StringSplitOptions.RemoveEmptyEntries);
                return ids.Length > 1 && ids[1] == "0";
            }
        }

        return Environment.UserName == "root";
    }
}
