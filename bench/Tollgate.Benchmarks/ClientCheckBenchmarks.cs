using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tollgate.Client;
using Tollgate.Server;

namespace Tollgate.Benchmarks;

/// <summary>
/// <see cref="TollgateClient.CheckFlag"/> on the demo data set (flag <c>api-calls</c>, company <c>acme</c> on Pro with
/// a monthly limit), against a real server started in-process on loopback: warm from the datastream replica (issue 15's
/// target: ≤ 200 ns, 0 B) and over REST (uncached, a loopback round trip). <see cref="EngineCheck"/>, the compiled flag
/// checked directly, is the floor the SDK adds its lookups to.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ClientCheckBenchmarks
{
    private const string ApiKey = "sch_client_bench_secret_key_0001_Pz8Wq4Rt";
    private readonly Dictionary<string, string> _company = new() { ["id"] = "acme" };
    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"tollgate-client-bench-{Guid.NewGuid():N}.db");
    private WebApplication _server = null!;
    private TollgateClient _streamed = null!;
    private TollgateClient _rest = null!;
    private Engine.CompiledFlag _flag = null!;
    private Engine.CompiledCompany _compiledCompany = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tollgate:Storage:Provider"] = "sqlite",
            ["Tollgate:Storage:ConnectionString"] = $"Data Source={_databaseFile}",
            ["Tollgate:ApiKey"] = ApiKey,
            ["Tollgate:Demo"] = "true",
        };
        _server = TollgateServer.Build(["--urls", "http://127.0.0.1:0", .. settings.Select(s => $"--{s.Key}={s.Value}")], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await _server.Services.GetRequiredService<Bootstrap>().RunAsync(CancellationToken.None);
        await _server.StartAsync();
        var baseUrl = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

        _streamed = new TollgateClient(ApiKey, new TollgateClientOptions { BaseUrl = baseUrl, UseDatastream = true });
        _rest = new TollgateClient(ApiKey, new TollgateClientOptions { BaseUrl = baseUrl, CacheTtl = TimeSpan.Zero });
        if (!await _streamed.WaitForDatastreamAsync(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("The datastream delivered no flags.");
        }

        // The first check of acme asks the stream for it; from then on it is replicated.
        var first = await _streamed.CheckFlagWithEntitlement("api-calls", _company);
        var viaRest = await _rest.CheckFlagWithEntitlement("api-calls", _company);
        if (first.Source != CheckSource.Datastream || viaRest.Source != CheckSource.Rest || first.Value != viaRest.Value || first.Reason != viaRest.Reason)
        {
            throw new InvalidOperationException($"The answers differ: datastream {first}, REST {viaRest}.");
        }

        _streamed.Replica!.TryGetFlag("api-calls", out _flag);
        _streamed.Replica.TryFindCompany(_company, out _compiledCompany);
    }

    [Benchmark(Baseline = true)]
    public bool EngineCheck() => _flag.Check(_compiledCompany, null, null, DateTimeOffset.UtcNow).Value;

    [Benchmark]
    public bool DatastreamCheckFlag() => _streamed.CheckFlag("api-calls", _company).GetAwaiter().GetResult();

    [Benchmark]
    public bool RestCheckFlag() => _rest.CheckFlag("api-calls", _company).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _streamed.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _rest.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.StopAsync().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
        {
            File.Delete(path);
        }
    }
}
