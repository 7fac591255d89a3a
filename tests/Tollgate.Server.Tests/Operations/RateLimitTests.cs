using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Operations;

/// <summary>The server with tiny per-key limits that never refill during a test (a class fixture).</summary>
public sealed class TinyRateLimitServer() : TollgateFactory(StoreKind.Sqlite)
{
    public const int SecretBurst = 8;
    public const int PublishableBurst = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("Tollgate:RateLimits:Secret:TokenLimit", $"{SecretBurst}"),
        new("Tollgate:RateLimits:Secret:TokensPerPeriod", "1"),
        new("Tollgate:RateLimits:Secret:ReplenishmentPeriod", "01:00:00"),
        new("Tollgate:RateLimits:Publishable:TokenLimit", $"{PublishableBurst}"),
        new("Tollgate:RateLimits:Publishable:TokensPerPeriod", "1"),
        new("Tollgate:RateLimits:Publishable:ReplenishmentPeriod", "01:00:00"),
    ];
}

/// <summary>Per-key rate limits: each key has its own bucket, sized by its kind; over it, 429 with <c>Retry-After</c>.</summary>
public sealed class RateLimitTests(TinyRateLimitServer server) : IClassFixture<TinyRateLimitServer>
{
    [Fact]
    public async Task AKeyOverItsLimitIsAnswered429WithRetryAfterWhileOtherKeysGoOn()
    {
        var admin = await server.NewEnvironmentAsync(); // one request of the default key's bucket
        var created = (await admin.PostAsync("/api-keys", new { name = "second", kind = "secret" })).ShouldBe(HttpStatusCode.Created);
        var other = server.Api(created.Data.GetProperty("key").GetString());

        for (var i = 1; i < TinyRateLimitServer.SecretBurst; i++) // the key's first request made the second key
        {
            (await admin.GetAsync("/plans")).ShouldBe(HttpStatusCode.OK);
        }

        using var refused = await RawGetAsync(admin.Key!, "/plans");
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        Assert.Contains("\"error\":\"rate limit", body, StringComparison.Ordinal);

        (await other.GetAsync("/plans")).ShouldBe(HttpStatusCode.OK);
        (await server.Api().GetAsync("/plans")).ShouldBe(HttpStatusCode.OK);
        (await server.Api(key: null).GetAsync("/health/ready")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PublishableKeysHaveTheirOwnSmallerLimit()
    {
        var admin = await server.NewEnvironmentAsync();
        var created = (await admin.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created);
        var browser = server.Api(created.Data.GetProperty("key").GetString());
        await Given.BooleanFeatureAsync(admin, "limited");

        for (var i = 0; i < TinyRateLimitServer.PublishableBurst; i++)
        {
            (await browser.PostAsync("/flags/limited/check", new { company = new { id = "acme" } })).ShouldBe(HttpStatusCode.OK);
        }

        (await browser.PostAsync("/flags/limited/check", new { company = new { id = "acme" } })).ShouldFail(HttpStatusCode.TooManyRequests, "rate limit");
        (await admin.GetAsync("/plans")).ShouldBe(HttpStatusCode.OK); // the secret key's bucket is another
    }

    private async Task<HttpResponseMessage> RawGetAsync(string key, string path)
    {
        var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(Api.ApiKeyAuthentication.Header, key);
        return await http.SendAsync(request);
    }
}
