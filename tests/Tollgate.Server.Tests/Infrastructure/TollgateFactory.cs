using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tollgate.Server.Api;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// The real server in-process on a database of its own (a temporary SQLite file or a fresh PostgreSQL database),
/// bootstrapped with a known secret key, no demo data and a fake clock. One per test class (a class fixture); tests
/// that need a clean slate make their own environment with <see cref="NewEnvironmentAsync"/>.
/// </summary>
public abstract class TollgateFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The secret key of the default environment (<c>Tollgate:ApiKey</c>).</summary>
    public const string SecretKey = "tg_sk_functional_tests_0123456789abcdef";

    /// <summary>Where the fake clock starts: a Wednesday in the middle of a month.</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 11, 12, 0, 0, TimeSpan.Zero);

    private readonly string _databaseName;
    private readonly bool _sharedDatabase;
    private readonly Lazy<Task<ApiTargets>> _targets;
    private string? _connectionString;

    protected TollgateFactory(StoreKind store)
        : this(store, sharedPostgresDatabase: null)
    {
    }

    /// <summary>A server on a PostgreSQL database another fixture made and drops (several nodes on one database).</summary>
    protected TollgateFactory(StoreKind store, string? sharedPostgresDatabase)
    {
        Store = store;
        _sharedDatabase = sharedPostgresDatabase is not null;
        _databaseName = sharedPostgresDatabase ?? $"tollgate_test_{Guid.NewGuid():N}";
        _targets = new(() => ApiTargets.CreateAsync(this));
    }

    /// <summary>The storage provider this server runs on.</summary>
    public StoreKind Store { get; }

    /// <summary>
    /// The server's clock. It moves 1 ms on every reading, so records made one after another have distinct, ordered
    /// timestamps; tests move it further with <see cref="FakeTimeProvider.Advance"/>.
    /// </summary>
    public FakeTimeProvider Time { get; } = new(Start) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    /// <summary>A client of the default environment with its secret key.</summary>
    public ApiClient Api() => Api(SecretKey);

    /// <summary>A client that sends <paramref name="key"/> (none when null).</summary>
    public ApiClient Api(string? key)
    {
        // The base address is the factory's own: http://localhost on the in-memory server, the real address on Kestrel.
        var http = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);
        }

        return new ApiClient(http);
    }

    /// <summary>A new environment, isolated from every other, and a client with its first secret key.</summary>
    public async Task<ApiClient> NewEnvironmentAsync()
    {
        var created = await Api().PostAsync("/environments", new { name = $"env-{Guid.NewGuid():N}" });
        created.ShouldBe(System.Net.HttpStatusCode.Created);
        var key = created.Data.GetProperty("key").GetString();
        var client = Api(key);
        client.Key = key;
        client.EnvironmentId = created.Data.GetProperty("environment").GetProperty("id").GetString();
        client.KeyId = created.Data.GetProperty("api_key").GetProperty("id").GetString();
        return client;
    }

    /// <summary>One resource of each kind in an environment of its own, made on first use and shared by the tests of the class.</summary>
    public Task<ApiTargets> TargetsAsync() => _targets.Value;

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        _connectionString = Store switch
        {
            StoreKind.Postgres when _sharedDatabase => TestPostgres.ConnectionStringOf(_databaseName),
            StoreKind.Postgres => await TestPostgres.CreateDatabaseAsync(_databaseName),
            _ => $"Data Source={Path.Combine(Path.GetTempPath(), _databaseName + ".db")}",
        };

        // Starts the host (and runs the bootstrap, see CreateHost) before any test sends a request; StartServer rather
        // than Server, which a fixture listening on a real port (UseKestrel) has not.
        StartServer();
    }

    /// <inheritdoc />
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_connectionString is null || _sharedDatabase)
        {
            return;
        }

        if (Store == StoreKind.Postgres)
        {
            await TestPostgres.DropDatabaseAsync(_databaseName);
        }
        else
        {
            foreach (var suffix in new[] { ".db", ".db-wal", ".db-shm" })
            {
                File.Delete(Path.Combine(Path.GetTempPath(), _databaseName + suffix));
            }
        }
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = _connectionString ?? throw new InvalidOperationException("InitializeAsync makes the database before the host starts.");
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tollgate:Storage:Provider"] = Store == StoreKind.Postgres ? "postgres" : "sqlite",
            ["Tollgate:Storage:ConnectionString"] = connectionString,

            // Several ingestion writers (PostgreSQL only; the default is 1), so the tests cover commits that overlap.
            ["Tollgate:Storage:IngestionWriters"] = "4",
            ["Tollgate:Demo"] = "false",
            ["Tollgate:ApiKey"] = SecretKey,
            ["Tollgate:MaxRequestBodyBytes"] = (1 << 20).ToString(CultureInfo.InvariantCulture),

            // Every test client signs in from the same (absent) address; the limit per address has its own test.
            ["Tollgate:Console:SignInAttemptsPerMinute"] = "100000",
        }.Concat(ExtraSettings())));
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    /// <summary>Configuration a derived fixture adds (e.g. where Stripe answers).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => [];

    /// <summary>
    /// The bootstrap (migrations, the default environment and its key) runs in <c>TollgateServer.RunAsync</c>, which a
    /// test host never reaches: the factory stops <c>Program</c> once the app is built. So it runs here, before the
    /// host is handed to any client.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        var database = host.Services.GetRequiredService<Database>();
        var expected = Store == StoreKind.Postgres ? typeof(PostgresDatabase) : typeof(SqliteDatabase);
        if (database.GetType() != expected)
        {
            throw new InvalidOperationException($"The server runs on {database.Description}, not on {Store}: the test configuration was not applied.");
        }

        host.Services.GetRequiredService<Bootstrap>().RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        return host;
    }
}
