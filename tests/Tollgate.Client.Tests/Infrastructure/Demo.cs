using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tollgate.Client.Tests.Infrastructure;

/// <summary>Writes to a <see cref="LiveServer"/>'s demo data set over its REST API, as an operator or an app would.</summary>
public static class Demo
{
    public static readonly string[] FlagKeys = ["api-calls", "seats", "sso", "ai-credits"];

    public static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    // The demo's plans and features never change: read once per server (a restarted one keeps its database and ids).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, string>> Ids = new(StringComparer.Ordinal);

    public static async Task<Dictionary<string, string>> IdsByNameAsync(HttpClient http, string path)
    {
        var key = http.BaseAddress + path;
        if (!Ids.TryGetValue(key, out var ids))
        {
            ids = (await SendAsync(http, HttpMethod.Get, path)).GetProperty("data").EnumerateArray()
                .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("id").GetString()!);
            Ids[key] = ids;
        }

        return ids;
    }

    /// <summary>A company on <paramref name="plan"/> with <paramref name="seats"/>; answers its id.</summary>
    public static async Task<string> CompanyAsync(HttpClient http, string key, string plan, int seats)
    {
        var plans = await IdsByNameAsync(http, "plans");
        var company = await SendAsync(http, HttpMethod.Post, "companies", new { keys = new { id = key }, name = key, base_plan_id = plans[plan], traits = new { seats } });
        return company.GetProperty("data").GetProperty("id").GetString()!;
    }

    public static async Task OverrideAsync(HttpClient http, string companyId, string feature, bool value)
    {
        var features = await IdsByNameAsync(http, "features");
        await SendAsync(http, HttpMethod.Post, "company-overrides", new { company_id = companyId, feature_id = features[feature], value_type = "boolean", value_bool = value });
    }

    /// <summary>
    /// Contexts over every plan, seats 0..39, usage below, at and above Free's 1,000 calls, SSO overrides both ways and
    /// some users (the Node SDK datastream test's mix); answers them as check bodies.
    /// </summary>
    public static async Task<List<(Dictionary<string, string> Company, Dictionary<string, string>? User)>> GenerateContextsAsync(HttpClient http, string prefix, int count)
    {
        string[] planNames = ["Free", "Pro", "Enterprise"];
        var contexts = new List<(Dictionary<string, string>, Dictionary<string, string>?)>();
        var events = new List<object>();
        for (var i = 0; i < count; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}");
            var id = await CompanyAsync(http, key, planNames[i % 3], i % 40);
            if (i % 7 == 0)
            {
                await OverrideAsync(http, id, "SSO", i % 14 == 0);
            }

            var quantity = new[] { 0, 400, 1000, 1500, 120000 }[i % 5];
            if (quantity > 0)
            {
                events.Add(new { api_key = LiveServer.ApiKey, type = "track", body = new { @event = "api_call", company = new { id = key }, quantity }, idempotency_key = $"{key}-calls" });
            }

            Dictionary<string, string>? user = null;
            if (i % 10 == 0)
            {
                user = new Dictionary<string, string> { ["email"] = $"user-{key}@gen.test" };
                await SendAsync(http, HttpMethod.Post, "users", new { keys = user, name = key, company = new { id = key } });
            }

            contexts.Add((new Dictionary<string, string> { ["id"] = key }, user));
        }

        await SendAsync(http, HttpMethod.Post, "batch", new { events });
        return contexts;
    }

    /// <summary>The server's own REST answer.</summary>
    public static async Task<JsonElement> RestCheckAsync(HttpClient http, string flag, Dictionary<string, string> company, Dictionary<string, string>? user) =>
        (await SendAsync(http, HttpMethod.Post, $"flags/{flag}/check", new { company, user })).GetProperty("data");

    /// <summary>Polls until <paramref name="condition"/> holds, failing after <paramref name="patience"/>.</summary>
    public static async Task EventuallyAsync(string what, Func<Task<bool>> condition, TimeSpan patience)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
