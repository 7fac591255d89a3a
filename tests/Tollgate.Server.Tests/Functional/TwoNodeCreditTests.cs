using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tollgate.Server.Api;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Two Tollgate nodes on one PostgreSQL database, each with its own warm views: concurrent check-and-reserve calls
/// spread over both still hold exactly the balance, because the database decides every hold.
/// </summary>
public sealed class TwoNodeCreditTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private WebApplication? _second;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tollgate:Storage:Provider"] = "postgres",
            // A small pool: the test PostgreSQL is shared with every other test class running meanwhile.
            ["Tollgate:Storage:ConnectionString"] = server.Services.GetRequiredService<IConfiguration>()["Tollgate:Storage:ConnectionString"] + ";Maximum Pool Size=20",
            ["Tollgate:ApiKey"] = TollgateFactory.SecretKey,
            ["Tollgate:Demo"] = "false",
        };
        _second = TollgateServer.Build(
            [],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.WebHost.UseTestServer();
                builder.Services.AddSingleton<TimeProvider>(server.Time);
            });
        await _second.Services.GetRequiredService<Bootstrap>().RunAsync(CancellationToken.None);
        await _second.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.StopAsync();
            await _second.DisposeAsync();
        }
    }

    [Fact]
    public async Task ParallelCheckAndReserveOnTwoNodesHoldsExactlyTheBalance()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(60);
        var http = _second!.GetTestClient();
        http.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, (await s.Api.PostAsync("/api-keys", new { name = "node-b" })).ShouldBe(HttpStatusCode.Created)
            .Data.GetProperty("key").GetString());
        var nodeB = new ApiClient(http);
        var onB = s with { Api = nodeB };

        // Both nodes warm: each now holds a view of acme with 60 credits, which the other node's holds make stale.
        Assert.True((await s.CheckAsync()).GetProperty("value").GetBoolean());
        Assert.True((await onB.CheckAsync()).GetProperty("value").GetBoolean());
        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? s : onB).CheckAndReserveAsync(quantity: 1)));

        Assert.All(answers, a => a.ShouldBe(HttpStatusCode.OK));
        Assert.Equal(30, answers.Count(a => a.Data.GetProperty("value").GetBoolean()));
        Assert.Equal(0, await onB.RemainingAsync());
        Assert.Equal(60, (await s.BalanceAsync()).GetProperty("reserved").GetDouble());
    }
}
