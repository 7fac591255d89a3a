using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tollgate.Server;
using Tollgate.Tests.Shared;

namespace Tollgate.Client.Tests.Infrastructure;

/// <summary>
/// The real Tollgate server in-process on Kestrel at a loopback port, on its own SQLite file with the demo data set and
/// a fixed secret key: what an SDK reaches over TCP. It can be stopped and started again on the same port and file (a
/// restart, as the chaos tests need). One per test class (a class fixture).
/// </summary>
public sealed class LiveServer : IAsyncLifetime
{
    public const string ApiKey = "sch_client_test_secret_key_0001_Hq3Zx9Lm";

    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"tollgate-client-{Guid.NewGuid():N}.db");
    private WebApplication? _app;

    /// <summary>Where the server listens (kept across restarts), e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>An HTTP client of the server with <see cref="ApiKey"/>.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Flag checks the server answered over REST (<c>/flags/…/check</c>) since it started.</summary>
    public int RestChecks => _checks.Count;

    private readonly RestCheckCounter _checks = new();

    public async Task InitializeAsync()
    {
        await StartAsync(port: 0);
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add(TollgateClient.ApiKeyHeader, ApiKey);
    }

    /// <summary>Stops serving; the port is closed until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        var app = _app ?? throw new InvalidOperationException("The server is not running.");
        _app = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Starts again on the same port and database: a restart.</summary>
    public Task StartAgainAsync() => StartAsync(BaseAddress.Port);

    private async Task StartAsync(int port)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tollgate:Storage:Provider"] = "sqlite",
            ["Tollgate:Storage:ConnectionString"] = $"Data Source={_databaseFile}",
            ["Tollgate:ApiKey"] = ApiKey,
            ["Tollgate:Demo"] = "true",
        };

        // As the server tests' LoopbackServer: the settings go in again after Build's environment-variable overrides.
        var app = TollgateServer.Build(
            ["--urls", $"http://127.0.0.1:{port}", .. settings.Select(s => $"--{s.Key}={s.Value}")],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(_checks);
            });
        await app.Services.GetRequiredService<Bootstrap>().RunAsync(CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        _app = app;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await StopAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
        {
            File.Delete(path);
        }
    }
}
