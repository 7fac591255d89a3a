using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Tollgate.Server.Operations;

/// <summary>
/// Behind a TLS-terminating reverse proxy: <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only from
/// the proxies listed in <c>Tollgate:ForwardedHeaders:KnownProxies</c> (addresses) or <c>KnownNetworks</c> (CIDR).
/// Nothing listed, nothing believed: a client cannot pretend to be another address or scheme.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public const string Section = "Tollgate:ForwardedHeaders";

    /// <summary>Whether any proxy is listed, so that the forwarded-headers middleware must run first.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        Listed(configuration, "KnownProxies").Length > 0 || Listed(configuration, "KnownNetworks").Length > 0;

    /// <summary>Sets the middleware's options from the lists, when there are any.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        var proxies = Listed(builder.Configuration, "KnownProxies");
        var networks = Listed(builder.Configuration, "KnownNetworks");
        if (proxies.Length == 0 && networks.Length == 0)
        {
            return;
        }

        // Parsed here, so a typo stops the start with its name rather than the first request.
        var addresses = proxies.Select(p => IPAddress.TryParse(p, out var address)
            ? address
            : throw new InvalidOperationException($"{Section}:KnownProxies: '{p}' is not an IP address")).ToArray();
        var ranges = networks.Select(n => System.Net.IPNetwork.TryParse(n, out var network)
            ? network
            : throw new InvalidOperationException($"{Section}:KnownNetworks: '{n}' is not a CIDR network such as 10.0.0.0/8")).ToArray();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in addresses)
            {
                o.KnownProxies.Add(address);
            }

            foreach (var network in ranges)
            {
                o.KnownIPNetworks.Add(network);
            }
        });
    }

    /// <summary>A list setting: array entries (<c>KnownProxies:0</c>, …) or one comma-separated value (an environment variable).</summary>
    private static string[] Listed(IConfiguration configuration, string name)
    {
        var section = configuration.GetSection($"{Section}:{name}");
        var items = section.Value is { Length: > 0 } single ? single.Split(',') : section.GetChildren().Select(c => c.Value ?? string.Empty).ToArray();
        return [.. items.Select(i => i.Trim()).Where(i => i.Length > 0)];
    }
}
