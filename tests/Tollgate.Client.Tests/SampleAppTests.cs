using System.Net;
using System.Text.Json;
using AspNetGate;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tollgate.Client.Tests.Infrastructure;

namespace Tollgate.Client.Tests;

/// <summary>
/// The sample app (samples/aspnet-gate) run against a real Tollgate: its <c>.RequireEntitlement</c> endpoint answers
/// 402 with the limit, usage and the plans that include the feature, its controller attribute does the same, and its
/// <c>.TrackUsage</c> counts each successful call on the server.
/// </summary>
[Collection(SharedServer.Name)]
public sealed class SampleAppTests(LiveServer server)
{
    [Fact]
    public async Task TheSampleGatesEndpointsAndControllersWith402UpgradeOffersAndTracksSuccessfulCalls()
    {
        await using var app = GateApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Tollgate:ApiKey"] = LiveServer.ApiKey,
                ["Tollgate:BaseUrl"] = server.BaseAddress.ToString(),
                ["Tollgate:UseDatastream"] = "true",
                ["Tollgate:EventBufferPeriod"] = "00:00:00.100",
            });
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        // globex is on Free: SSO is Enterprise's, so both the endpoint and the controller refuse with the offer.
        foreach (var path in new[] { "/sso/config", "/audit-log" })
        {
            using var refused = await SendAsync(http, path, "globex");
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
            var offer = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("sso", offer.GetProperty("feature").GetString());
            Assert.Equal(["Enterprise"], offer.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        }

        using (var allowed = await SendAsync(http, "/sso/config", "initech"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        // A Free company with 998 of its 1,000 calls: two searches pass and are tracked, the third is refused with the numbers.
        var busy = new Dictionary<string, string> { ["id"] = "sample-busy" };
        await Demo.CompanyAsync(server.Http, "sample-busy", "Free", 1);
        await Demo.SendAsync(server.Http, HttpMethod.Post, "batch", new { events = new[] { new { api_key = LiveServer.ApiKey, type = "track", body = new { @event = "api_call", company = busy, quantity = 998 } } } });
        await Demo.EventuallyAsync("the server to count 998 calls", async () =>
            (await Demo.RestCheckAsync(server.Http, "api-calls", busy, null)).TryGetProperty("feature_usage", out var u) && u.ValueKind == JsonValueKind.Number && u.GetInt64() == 998, TimeSpan.FromSeconds(5));
        using (var first = await SendAsync(http, "/search?q=a", "sample-busy"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var second = await SendAsync(http, "/search?q=b", "sample-busy"))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        using var third = await SendAsync(http, "/search?q=c", "sample-busy");
        Assert.Equal(HttpStatusCode.PaymentRequired, third.StatusCode);
        var limit = JsonDocument.Parse(await third.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1000, limit.GetProperty("limit").GetInt64());
        Assert.Equal(1000, limit.GetProperty("usage").GetInt64());
        Assert.Contains("Pro", limit.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("name").GetString()));

        // The two tracked calls reach the server (and the refused one is not counted).
        await Demo.EventuallyAsync("the server to count the two tracked searches", async () =>
            (await Demo.RestCheckAsync(server.Http, "api-calls", busy, null)).TryGetProperty("feature_usage", out var u) && u.ValueKind == JsonValueKind.Number && u.GetInt64() == 1000, TimeSpan.FromSeconds(10));
        await app.StopAsync();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string company)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add(GateApp.CompanyHeader, company);
        return http.SendAsync(request);
    }
}
