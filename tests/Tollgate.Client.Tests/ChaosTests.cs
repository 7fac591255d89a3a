using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tollgate.Client.Tests.Infrastructure;

namespace Tollgate.Client.Tests;

/// <summary>
/// Issue 15, Proof (chaos): the server restarts mid-run and checks keep answering, stale then fresh; the server is down
/// at start-up and defaults come back within the timeout; events buffered during an outage arrive exactly once, even
/// when a delivered batch's answer is lost and the batch is sent again.
/// </summary>
public sealed class ChaosTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task ChecksAnswerStaleThroughARestartThenFreshAndBufferedEventsArriveExactlyOnce()
    {
        var company = new Dictionary<string, string> { ["id"] = "chaos-co" };
        var companyId = await Demo.CompanyAsync(server.Http, "chaos-co", "Free", 1);
        var losing = new LoseFirstAnswer(new SocketsHttpHandler());
        using var http = new HttpClient(losing) { Timeout = Timeout.InfiniteTimeSpan };
        await using var client = new TollgateClient(LiveServer.ApiKey, new TollgateClientOptions
        {
            BaseUrl = server.BaseAddress,
            UseDatastream = true,
            HttpClient = http,
            Timeout = TimeSpan.FromSeconds(2),
            EventBufferPeriod = TimeSpan.FromMilliseconds(100),
        });
        Assert.True(await client.WaitForDatastreamAsync(TimeSpan.FromSeconds(10)));
        var live = await client.CheckFlagWithEntitlement("api-calls", company);
        Assert.Equal((CheckSource.Datastream, true), (live.Source, live.Value));

        // Down: the replica answers as of the disconnection, and tracked events wait in the buffer.
        await server.StopAsync();
        await Demo.EventuallyAsync("the client to notice the disconnection", () => Task.FromResult(!client.IsDatastreamLive), TimeSpan.FromSeconds(10));
        var stale = await client.CheckFlagWithEntitlement("api-calls", company);
        Assert.Equal((CheckSource.StaleReplica, true, null), (stale.Source, stale.Value, stale.Error));
        Assert.True(stale.AsOf <= DateTimeOffset.UtcNow);
        for (var i = 0; i < 150; i++)
        {
            client.Track("api_call", company);
        }

        Assert.False(await client.FlushAsync());
        Assert.Equal(150, client.GetBufferWaitingEventCount());

        // Up again: the stream reconnects and resyncs, and the first batch delivered has its answer lost (sent twice).
        losing.Armed = true;
        await server.StartAgainAsync();
        await Demo.EventuallyAsync("the buffered events to be delivered", () => Task.FromResult(client.GetBufferWaitingEventCount() == 0), TimeSpan.FromSeconds(30));
        Assert.True(losing.Lost);
        await Demo.EventuallyAsync("the server to count each buffered event once", async () =>
            (await Demo.RestCheckAsync(server.Http, "api-calls", company, null)).TryGetProperty("feature_usage", out var u) && u.ValueKind == System.Text.Json.JsonValueKind.Number && u.GetInt64() == 150, TimeSpan.FromSeconds(10));
        await Demo.EventuallyAsync("the datastream to reconnect", () => Task.FromResult(client.IsDatastreamLive), TimeSpan.FromSeconds(30));

        // Fresh: a write after the restart reaches the local answer.
        await Demo.OverrideAsync(server.Http, companyId, "API calls", false);
        await Demo.EventuallyAsync("the override to reach the local answer", async () =>
            await client.CheckFlagWithEntitlement("api-calls", company) is { Source: CheckSource.Datastream, Value: false }, TimeSpan.FromSeconds(5));

        // Still exactly once, well after any duplicate would have been counted.
        var metrics = (await Demo.SendAsync(server.Http, HttpMethod.Get, "companies/lookup?keys[id]=chaos-co")).GetProperty("data").GetProperty("metrics");
        Assert.All(metrics.EnumerateArray().Where(m => m.GetProperty("event_subtype").GetString() == "api_call"), m => Assert.Equal(150, m.GetProperty("value").GetInt64()));
        Assert.Contains(metrics.EnumerateArray(), m => m.GetProperty("event_subtype").GetString() == "api_call");
    }

    [Fact]
    public async Task ServerDownAtStartAnswersEachFlagsDefaultWithinTheTimeout()
    {
        var closedPort = ClosedPort();
        foreach (var useDatastream in new[] { false, true })
        {
            var started = Stopwatch.StartNew();
            await using var client = new TollgateClient(LiveServer.ApiKey, new TollgateClientOptions
            {
                BaseUrl = new Uri($"http://127.0.0.1:{closedPort}/"),
                UseDatastream = useDatastream,
                Timeout = TimeSpan.FromSeconds(1),
                FlagDefaults = new() { ["sso"] = true },
            });
            var open = await client.CheckFlagWithEntitlement("sso", new() { ["id"] = "acme" });
            var closed = await client.CheckFlagWithEntitlement("api-calls", new() { ["id"] = "acme" });
            Assert.Equal((CheckSource.Default, true), (open.Source, open.Value));
            Assert.Equal((CheckSource.Default, false), (closed.Source, closed.Value));
            Assert.False(string.IsNullOrEmpty(open.Reason));
            Assert.Null(open.AsOf);
            Assert.True(await client.CheckFlag("sso"));
            Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3) * 2);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Once armed, delivers the next event batch and then loses its answer, as a dropped connection would.</summary>
    private sealed class LoseFirstAnswer(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public volatile bool Armed;

        public bool Lost { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Armed && response.IsSuccessStatusCode && request.RequestUri!.AbsolutePath == "/batch")
            {
                Armed = false;
                Lost = true;
                response.Dispose();
                throw new HttpRequestException("the connection dropped before the answer arrived");
            }

            return response;
        }
    }
}
