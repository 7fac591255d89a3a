using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Tests.WebConsole.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Gallery;

/// <summary>
/// Every console page of the running app (its endpoint data source, so a page merged tomorrow is walked too) as a URL
/// with real ids in place of its route parameters. A parameter is filled by what it names after which literal segment
/// (<c>companies/{id}</c> is a company, <c>plans/{id}</c> a plan): a page with a parameter nobody taught the gallery
/// to fill is reported by name, never skipped.
/// </summary>
public static class GalleryRoutes
{
    /// <summary>A page to look at: its route template, the URL with ids filled, and the name of its screenshots.</summary>
    public sealed record GalleryPage(string Template, string Url, string Name);

    /// <summary>
    /// The console's pages with their URLs; <paramref name="unfilled"/> gets one line per route parameter that
    /// <paramref name="fillers"/> has no value for.
    /// </summary>
    public static IReadOnlyList<GalleryPage> Pages(
        IServiceProvider services, IReadOnlyDictionary<string, string> fillers, IReadOnlyDictionary<string, string> queries, List<string> unfilled)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(fillers);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(unfilled);
        var pages = new List<GalleryPage>();
        var patterns = services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => e.RoutePattern)
            .Where(p => p.RawText is { } raw && ("/" + raw.TrimStart('/')).StartsWith(ConsoleRoutes.Prefix, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(p => p.RawText, StringComparer.OrdinalIgnoreCase)
            .OrderBy(p => p.RawText, StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            var template = "/" + pattern.RawText!.TrimStart('/');
            var segments = new List<string>();
            var names = new List<string>();
            string? previous = null;
            foreach (var segment in pattern.PathSegments)
            {
                var url = new List<string>();
                foreach (var part in segment.Parts)
                {
                    switch (part)
                    {
                        case RoutePatternLiteralPart literal:
                            url.Add(literal.Content);
                            names.Add(literal.Content);
                            previous = literal.Content;
                            break;
                        case RoutePatternParameterPart parameter:
                            var key = FillerKey(previous, parameter.Name);
                            if (fillers.TryGetValue(key, out var value))
                            {
                                url.Add(Uri.EscapeDataString(value));
                            }
                            else if (!parameter.IsOptional)
                            {
                                unfilled.Add($"{template}: no known value for {{{parameter.Name}}} after '{previous}' (teach the gallery '{key}' in GallerySeed)");
                                url.Add(ConsoleRoutes.Placeholder);
                            }

                            names.Add(parameter.Name.ToLowerInvariant());
                            break;
                        case RoutePatternSeparatorPart separator:
                            url.Add(separator.Content);
                            break;
                    }
                }

                if (url.Count > 0)
                {
                    segments.Add(string.Concat(url));
                }
            }

            var path = "/" + string.Join('/', segments);
            var query = queries.TryGetValue(template, out var q) ? q : string.Empty;
            var name = string.Join('-', names.Skip(1)) is { Length: > 0 } rest ? rest : "overview";
            pages.Add(new GalleryPage(template, path + query, name));
        }

        return pages;
    }

    /// <summary>How a filler is looked up: the literal segment before the parameter, a slash, the parameter's name.</summary>
    public static string FillerKey(string? previousSegment, string parameter) => $"{previousSegment}/{parameter}".ToLowerInvariant();
}
