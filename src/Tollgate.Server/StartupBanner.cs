using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Tollgate.Server;

/// <summary>What a person starting the server needs: where it listens and, on first start, the key to use.</summary>
internal static class StartupBanner
{
    public static void Print(WebApplication app, string? newKey)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault() ?? "(unknown address)";
        Console.WriteLine();
        Console.WriteLine($"Tollgate is listening on {url}  (API docs: {url}/docs)");
        if (newKey is not null)
        {
            Console.WriteLine($"Secret API key of the development environment (shown once; store it): {newKey}");
            Console.WriteLine($"Try: curl -s -X POST {url}/flags/api-calls/check -H 'X-Schematic-Api-Key: {newKey}' -d '{{\"company\":{{\"id\":\"acme\"}}}}'");
        }

        Console.WriteLine();
    }
}
