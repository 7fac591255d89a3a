using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tollgate.Server.Tests.SdkClient;

/// <summary>
/// The real Tollgate server, started in-process on Kestrel at a free loopback port with its own SQLite file, the demo
/// data set and a fixed secret key: what an outside client (the Node SDK) can reach over TCP, unlike a TestServer.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    public const string ApiKey = "sch_sdk_client_test_secret_key_0001_f7Kq9ZxW";

    private readonly WebApplication _app;
    private readonly string _databaseFile;

    private LoopbackServer(WebApplication app, string databaseFile, Uri baseAddress)
    {
        _app = app;
        _databaseFile = databaseFile;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("X-Schematic-Api-Key", ApiKey);
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client for the same server, authenticated with <see cref="ApiKey"/>.</summary>
    public HttpClient Http { get; }

    public static async Task<LoopbackServer> StartAsync(CancellationToken cancellationToken, Action<WebApplicationBuilder>? configure = null)
    {
        var databaseFile = Path.Combine(Path.GetTempPath(), $"tollgate-sdk-client-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?>
        {
            ["Tollgate:Storage:Provider"] = "sqlite",
            ["Tollgate:Storage:ConnectionString"] = $"Data Source={databaseFile}",
            ["Tollgate:ApiKey"] = ApiKey,
            ["Tollgate:Demo"] = "true",
        };

        // The same settings go in as arguments and again after Build's own environment-variable overrides
        // (TOLLGATE_API_KEY, TOLLGATE_POSTGRES), so a developer's shell cannot point this test at another database.
        var app = TollgateServer.Build(
            ["--urls", "http://127.0.0.1:0", .. settings.Select(s => $"--{s.Key}={s.Value}")],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                configure?.Invoke(builder);
            });
        try
        {
            // The same start-up sequence as TollgateServer.RunAsync: migrate and seed, then serve.
            await app.Services.GetRequiredService<Bootstrap>().RunAsync(cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no bound address.");
            return new LoopbackServer(app, databaseFile, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            DeleteDatabase(databaseFile);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        DeleteDatabase(_databaseFile);
    }

    private static void DeleteDatabase(string file)
    {
        // Pooled connections keep the file open; release them before deleting it and its journal files.
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
        {
            File.Delete(path);
        }
    }
}
