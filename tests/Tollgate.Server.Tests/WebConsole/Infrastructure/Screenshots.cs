using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>
/// Full-page PNGs of what a person sees, kept as the run's artefact in <c>&lt;repo&gt;/artifacts/screenshots/&lt;store&gt;/</c>
/// (git ignores <c>artifacts/</c>). Look at them before calling a page done.
/// </summary>
public static class Screenshots
{
    // Which store a page's server runs on, so that the SQLite and PostgreSQL runs of a test do not overwrite each other.
    private static readonly ConditionalWeakTable<IBrowserContext, string> Stores = new();

    /// <summary>The folder all screenshots go to.</summary>
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    /// <summary>Saves the whole page (not only the viewport) as <c>&lt;store&gt;/&lt;name&gt;.png</c>; returns the file's path.</summary>
    public static Task<string> SaveAsync(IPage page, string name) => SaveAsync(page, folder: null, name);

    /// <summary>Saves the whole page, scrolled to the top, as <c>&lt;store&gt;/&lt;folder&gt;/&lt;name&gt;.png</c> (a set of screenshots kept together); returns the file's path.</summary>
    public static async Task<string> SaveAsync(IPage page, string? folder, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = PathOf(page, folder, name);
        // A full-page capture draws a sticky element where it sits in the viewport: after a focus scrolled the page, the
        // header would be drawn across the middle of the image. From the top, it is drawn where a person first sees it.
        // Instant, so that a smooth-scrolling page is not captured half-way.
        await page.EvaluateAsync("() => window.scrollTo({ top: 0, left: 0, behavior: 'instant' })");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Type = ScreenshotType.Png });
        return path;
    }

    /// <summary>Saves one element of a page (all of it, scrolled into view) as <c>&lt;store&gt;/&lt;folder&gt;/&lt;name&gt;.png</c>; returns the file's path.</summary>
    public static async Task<string> SaveAsync(ILocator element, string? folder, string name)
    {
        ArgumentNullException.ThrowIfNull(element);
        var path = PathOf(element.Page, folder, name);
        await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = path, Type = ScreenshotType.Png });
        return path;
    }

    private static string PathOf(IPage page, string? folder, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (var part in new[] { name, folder ?? "-" })
        {
            if (part.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || part.Contains("..", StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{part}' is not a plain file name.", nameof(name));
            }
        }

        var store = Stores.TryGetValue(page.Context, out var known) ? known : "unknown";
        var path = folder is null ? Path.Combine(Folder, store, name + ".png") : Path.Combine(Folder, store, folder, name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Records the store of the server a browser context talks to (<see cref="ConsoleServer"/> does it).</summary>
    internal static void Register(IBrowserContext context, StoreKind store) =>
        Stores.AddOrUpdate(context, store == StoreKind.Postgres ? "postgres" : "sqlite");

    /// <summary>The checkout's root: the nearest folder above the test binaries that holds <c>Tollgate.slnx</c>.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Tollgate.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Tollgate.slnx above {AppContext.BaseDirectory}: screenshots go to <repo>/artifacts/screenshots.");
    }
}
