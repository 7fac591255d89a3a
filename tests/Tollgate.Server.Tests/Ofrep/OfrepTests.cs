using System.Net.Http.Json;
using System.Text.Json;
using Tollgate.Server.Tests.SdkClient;

namespace Tollgate.Server.Tests.Ofrep;

/// <summary>
/// OpenFeature's own Node SDK with its OFREP provider is the judge of <c>/ofrep/v1/evaluate/flags</c> (issue 15, item 3):
/// its boolean answers equal Tollgate's REST checks for the same company and user, errors come back as OpenFeature's
/// error codes with the caller's default, and the bulk call's tag answers 304 until the answers change.
/// </summary>
public sealed class OfrepTests
{
    [Fact]
    public async Task OpenFeaturesOfrepProviderReadsTheFlagsAsRestAnswersThemWithOfrepErrorsAndBulkTags()
    {
        await using var server = await LoopbackServer.StartAsync(CancellationToken.None);
        var (json, stderr) = await SdkDriver.RunScriptAsync("drive-ofrep.mjs", [server.BaseAddress.ToString().TrimEnd('/'), LoopbackServer.ApiKey], TimeSpan.FromMinutes(2), CancellationToken.None);
        Assert.True(json.ValueKind == JsonValueKind.Object, $"the driver printed no result: {stderr}");

        // Every answer is REST's for the company and user the context maps to (targetingKey → company id).
        var contexts = json.GetProperty("contexts").EnumerateArray().Select(c => c.Clone()).ToList();
        var evaluations = json.GetProperty("evaluations").EnumerateArray().ToList();
        Assert.Equal(contexts.Count * 4, evaluations.Count);
        var reasons = new HashSet<string>(StringComparer.Ordinal);
        foreach (var evaluation in evaluations)
        {
            var context = contexts[evaluation.GetProperty("context").GetInt32()];
            var flag = evaluation.GetProperty("flag").GetString()!;
            var expected = await RestCheckAsync(server, flag, context);
            var where = $"flag {flag}, context {context}: OFREP {evaluation}, REST {expected}";
            Assert.True(expected.GetProperty("value").GetBoolean() == evaluation.GetProperty("value").GetBoolean(), where);
            Assert.True(evaluation.GetProperty("errorCode").ValueKind == JsonValueKind.Null, where);
            Assert.Equal(expected.GetProperty("value").GetBoolean() ? "on" : "off", evaluation.GetProperty("variant").GetString());
            var metadata = evaluation.GetProperty("metadata");
            Assert.True(expected.GetProperty("reason").GetString() == metadata.GetProperty("reason").GetString(), where);
            Assert.True(
                (expected.TryGetProperty("rule_id", out var rule) && rule.ValueKind == JsonValueKind.String ? rule.GetString() : null)
                == (metadata.TryGetProperty("rule_id", out var ofrepRule) ? ofrepRule.GetString() : null),
                where);
            reasons.Add(evaluation.GetProperty("reason").GetString()!);
        }

        Assert.Contains(evaluations, e => e.GetProperty("value").GetBoolean());
        Assert.Contains(evaluations, e => !e.GetProperty("value").GetBoolean());
        Assert.Contains("TARGETING_MATCH", reasons);
        Assert.Contains("DEFAULT", reasons); // the unknown company and the empty context fall to the flag's default
        Assert.Contains(evaluations, e => e.GetProperty("metadata").GetProperty("reason").GetString() == "Company not found");

        // Errors: OpenFeature's codes, and the caller's default.
        var errors = json.GetProperty("errors");
        AssertError(errors.GetProperty("unknownFlag"), "FLAG_NOT_FOUND", true);
        AssertError(errors.GetProperty("invalidContext"), "INVALID_CONTEXT", true);
        Assert.Equal("TYPE_MISMATCH", errors.GetProperty("wrongType").GetProperty("errorCode").GetString());
        Assert.Equal("fallback", errors.GetProperty("wrongType").GetProperty("value").GetString());
        AssertError(errors.GetProperty("badKey"), "GENERAL", true);

        // Bulk: every flag, tagged; the same answers are not modified; an override changes the answers and the tag.
        var bulk = json.GetProperty("bulk");
        var first = bulk.GetProperty("first");
        Assert.Equal(200, first.GetProperty("status").GetInt32());
        var firstFlags = first.GetProperty("body").GetProperty("flags").EnumerateArray().ToDictionary(f => f.GetProperty("key").GetString()!, f => f.GetProperty("value").GetBoolean());
        Assert.Equal(["ai-credits", "api-calls", "seats", "sso"], firstFlags.Keys.Order(StringComparer.Ordinal));
        Assert.False(firstFlags["sso"]);
        Assert.Equal(304, bulk.GetProperty("again").GetProperty("status").GetInt32());
        Assert.Equal(first.GetProperty("etag").GetString(), bulk.GetProperty("again").GetProperty("etag").GetString());
        var changed = bulk.GetProperty("changed");
        Assert.Equal(200, changed.GetProperty("status").GetInt32());
        Assert.NotEqual(first.GetProperty("etag").GetString(), changed.GetProperty("etag").GetString());
        Assert.Contains(changed.GetProperty("body").GetProperty("flags").EnumerateArray(), f => f.GetProperty("key").GetString() == "sso" && f.GetProperty("value").GetBoolean());
        var invalid = bulk.GetProperty("invalid");
        Assert.Equal(400, invalid.GetProperty("status").GetInt32());
        Assert.Equal("INVALID_CONTEXT", invalid.GetProperty("body").GetProperty("errorCode").GetString());
        Assert.Contains("context.user", invalid.GetProperty("body").GetProperty("errorDetails").GetString(), StringComparison.Ordinal);
    }

    private static void AssertError(JsonElement details, string code, bool defaultValue)
    {
        Assert.True(code == details.GetProperty("errorCode").GetString(), details.ToString());
        Assert.Equal(defaultValue, details.GetProperty("value").GetBoolean());
    }

    private static async Task<JsonElement> RestCheckAsync(LoopbackServer server, string flag, JsonElement context)
    {
        var company = context.TryGetProperty("company", out var c) ? c.Deserialize<Dictionary<string, string>>()
            : context.TryGetProperty("targetingKey", out var t) ? new Dictionary<string, string> { ["id"] = t.GetString()! } : null;
        var user = context.TryGetProperty("user", out var u) ? u.Deserialize<Dictionary<string, string>>() : null;
        using var response = await server.Http.PostAsJsonAsync(new Uri($"flags/{flag}/check", UriKind.Relative), new { company, user });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").Clone();
    }
}
