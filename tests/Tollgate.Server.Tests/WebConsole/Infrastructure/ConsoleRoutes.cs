using System.Reflection;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.WebConsole;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>
/// The console's routes as the running app has them (its <see cref="EndpointDataSource"/>), not a hand-kept list: a page
/// added tomorrow is covered by the tests that walk them.
/// </summary>
public static class ConsoleRoutes
{
    /// <summary>The URL prefix of every console page.</summary>
    public const string Prefix = "/console";

    /// <summary>Stands in for each route parameter: no record has this id, and every check must refuse before the lookup.</summary>
    public const string Placeholder = "tg_placeholder";

    /// <summary>
    /// One URL per way to write through the console: each POST handler of each page (<c>OnPost</c> at the page's URL,
    /// <c>OnPostX</c> at <c>?handler=X</c>) and each other console endpoint that takes a POST, PUT, PATCH or DELETE,
    /// with route parameters filled by <see cref="Placeholder"/>. Pages that anyone may post to before signing in
    /// (sign-in, owner setup, accepting an invitation) are included; callers filter what they expect to be open.
    /// </summary>
    public static async Task<IReadOnlyList<ConsoleWrite>> WritesAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var loader = services.GetRequiredService<PageLoader>();
        var writes = new List<ConsoleWrite>();
        foreach (var endpoint in ConsoleEndpoints(services))
        {
            var path = PathOf(endpoint.RoutePattern);
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } descriptor)
            {
                var page = await loader.LoadAsync(descriptor, endpoint.Metadata);
                foreach (var handler in page.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)))
                {
                    var url = handler.Name is null ? path : $"{path}?handler={Uri.EscapeDataString(handler.Name)}";
                    var declared = handler.MethodInfo.GetCustomAttribute<ConsoleWritesAttribute>()
                        ?? page.HandlerTypeInfo.GetCustomAttribute<ConsoleWritesAttribute>();
                    writes.Add(new ConsoleWrite("POST", url, descriptor.ViewEnginePath, declared?.Area));
                }
            }
            else if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { } methods)
            {
                foreach (var method in methods.HttpMethods.Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE"))
                {
                    writes.Add(new ConsoleWrite(method, path, endpoint.DisplayName ?? path, endpoint.Metadata.GetMetadata<ConsoleWritesAttribute>()?.Area));
                }
            }
        }

        return writes.DistinctBy(w => (w.Method, w.Url)).OrderBy(w => w.Url, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every console page's URL that answers a GET (route parameters filled by <see cref="Placeholder"/>).</summary>
    public static IReadOnlyList<string> Pages(IServiceProvider services) =>
        ConsoleEndpoints(services)
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => PathOf(e.RoutePattern))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<RouteEndpoint> ConsoleEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => PathOf(e.RoutePattern) is var path
                && (path.Equals(Prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The pattern as a URL path: literal segments kept, parameters replaced, optional ones left out.</summary>
    private static string PathOf(RoutePattern pattern)
    {
        var segments = new List<string>();
        foreach (var segment in pattern.PathSegments)
        {
            var text = string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternSeparatorPart separator => separator.Content,
                RoutePatternParameterPart { IsOptional: true } => string.Empty,
                RoutePatternParameterPart => Placeholder,
                _ => string.Empty,
            }));
            if (text.Length > 0)
            {
                segments.Add(text);
            }
        }

        return "/" + string.Join('/', segments);
    }
}

/// <summary>
/// A way to write through the console: the HTTP method, the URL, what serves it (a page's path or an endpoint's name)
/// and the area it declares with <see cref="ConsoleWritesAttribute"/> (null: undeclared, which the console refuses).
/// </summary>
public sealed record ConsoleWrite(string Method, string Url, string Source, ConsoleArea? Area)
{
    /// <summary>Whether anyone may use it: before signing in (Public) or on their own session and account (Self).</summary>
    public bool IsOpenToEveryone => Area is ConsoleArea.Public or ConsoleArea.Self;
}
