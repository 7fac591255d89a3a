using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Tollgate.Server.Startup;

namespace Tollgate.Server;

/// <summary>What a person starting the server needs: where it listens and, on first start, the key to use.</summary>
internal static class StartupBanner
{
    public static void Print(WebApplication app, string? newKey, string? consoleSetupToken = null)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault() ?? "(unknown address)";
        Console.WriteLine();
        Console.WriteLine($"Tollgate is listening on {url}  (console: {url}/console, API docs: {url}/docs)");
        if (consoleSetupToken is not null)
        {
            PrintConsoleSetupLink(app, $"{url}/console/setup?token={consoleSetupToken}");
        }

        if (newKey is not null)
        {
            if (Console.IsOutputRedirected)
            {
                // Redirected output ends up in collected logs: the key goes to a file only its owner can read.
                var storage = app.Services.GetRequiredService<IOptions<TollgateOptions>>().Value.Storage;
                var path = FirstStartKey.PathIn(storage.DataDirectory, app.Environment.ContentRootPath);
                try
                {
                    FirstStartKey.WriteFile(path, newKey);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The key is not printed instead: restarting with a key of one's own is the way in.
                    Console.WriteLine($"The secret API key of the development environment could not be written to {path} ({e.Message}); restart with TOLLGATE_API_KEY set to a key of your own (e.g. `openssl rand -hex 32`).");
                    return;
                }

                Console.WriteLine($"Secret API key of the development environment written to {path} (readable only by its owner; store it elsewhere and delete the file)");
                Console.WriteLine($"Try: curl -s -X POST {url}/flags/api-calls/check -H \"X-Schematic-Api-Key: $(cat {path})\" -H 'Content-Type: application/json' -d '{{\"company\":{{\"id\":\"acme\"}}}}'");
            }
            else
            {
                Console.WriteLine($"Secret API key of the development environment (shown once; store it): {newKey}");
                Console.WriteLine($"Try: curl -s -X POST {url}/flags/api-calls/check -H 'X-Schematic-Api-Key: {newKey}' -d '{{\"company\":{{\"id\":\"acme\"}}}}'");
            }
        }

        Console.WriteLine();
    }

    /// <summary>The console has no owner yet: the one-time link that creates one, printed or written like the first key.</summary>
    private static void PrintConsoleSetupLink(WebApplication app, string link)
    {
        if (!Console.IsOutputRedirected)
        {
            Console.WriteLine($"Create the console's owner (one-time link, valid 24 hours): {link}");
            return;
        }

        var storage = app.Services.GetRequiredService<IOptions<TollgateOptions>>().Value.Storage;
        var path = Path.Combine(Path.GetDirectoryName(FirstStartKey.PathIn(storage.DataDirectory, app.Environment.ContentRootPath))!, FirstStartKey.ConsoleLinkFileName);
        try
        {
            FirstStartKey.WriteFile(path, link);
            Console.WriteLine($"The one-time link that creates the console's owner is in {path} (readable only by its owner)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"The one-time link that creates the console's owner could not be written to {path} ({e.Message}); restart with a writable data folder.");
        }
    }
}
