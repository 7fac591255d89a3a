using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// The console's static files (its stylesheet, htmx, its small script), embedded in the server assembly so the console
/// needs no files beside the binary and no Node build step. Served at <c>/console/assets/{name}</c>; links carry a
/// content hash (<see cref="Url"/>), so browsers may cache them for a year.
/// </summary>
public static class ConsoleAssets
{
    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    /// <summary>The versioned URL of an asset.</summary>
    public static string Url(string name) =>
        Assets.TryGetValue(name, out var asset) ? $"/console/assets/{name}?v={asset.Hash}" : throw new ArgumentException($"no console asset {name}", nameof(name));

    internal static void Map(WebApplication app) =>
        app.MapGet("/console/assets/{name}", (HttpContext http, string name) =>
        {
            if (!Assets.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(asset.Bytes, asset.ContentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{asset.Hash}\""));
        }).ExcludeFromDescription();

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        const string prefix = "Tollgate.Server.WebConsole.Assets.";
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "text/plain; charset=utf-8",
            };
            assets[name] = new Asset(bytes, type, Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string Hash);
}
