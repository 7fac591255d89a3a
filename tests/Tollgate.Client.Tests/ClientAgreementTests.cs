using System.Diagnostics;
using System.Text.Json;
using Tollgate.Client.Tests.Infrastructure;

namespace Tollgate.Client.Tests;

/// <summary>
/// Issue 15, Proof: on generated contexts Tollgate.Client answers as the server's REST checks do, with and without the
/// datastream; with it, every warm answer is local (the server answers no flag check) and an override written reaches
/// the next local answer within a second; <c>Track</c> counts in the local answer at once.
/// </summary>
[Collection(SharedServer.Name)]
public sealed class ClientAgreementTests(LiveServer server)
{
    private const int Contexts = 60;

    [Fact]
    public async Task RestAndDatastreamClientsAnswerGeneratedContextsAsTheServerDoesAndTheStreamSeesWritesAtOnce()
    {
        var contexts = await Demo.GenerateContextsAsync(server.Http, "agree", Contexts);
        await Demo.EventuallyAsync("the generated usage to be counted", async () =>
            (await Demo.RestCheckAsync(server.Http, "api-calls", contexts[4].Company, null)).TryGetProperty("feature_usage", out var u) && u.ValueKind == JsonValueKind.Number && u.GetInt64() == 120000, TimeSpan.FromSeconds(10));

        await using var rest = new TollgateClient(LiveServer.ApiKey, new TollgateClientOptions { BaseUrl = server.BaseAddress });
        await using var streamed = new TollgateClient(LiveServer.ApiKey, new TollgateClientOptions { BaseUrl = server.BaseAddress, UseDatastream = true });
        Assert.True(await streamed.WaitForDatastreamAsync(TimeSpan.FromSeconds(10)), "the datastream delivered no flags");

        var answers = 0;
        var refused = 0;
        foreach (var (company, user) in contexts)
        {
            foreach (var flag in Demo.FlagKeys)
            {
                var expected = await Demo.RestCheckAsync(server.Http, flag, company, user);
                var where = $"{flag} for {JsonSerializer.Serialize(company)} {JsonSerializer.Serialize(user)}: REST {expected}";
                var viaRest = await rest.CheckFlagWithEntitlement(flag, company, user);
                var viaStream = await streamed.CheckFlagWithEntitlement(flag, company, user);
                Assert.Equal(CheckSource.Rest, viaRest.Source);
                Assert.Equal(CheckSource.Datastream, viaStream.Source);
                foreach (var answer in new[] { viaRest, viaStream })
                {
                    Assert.True(expected.GetProperty("value").GetBoolean() == answer.Value, $"value differs ({answer.Source}) for {where}");
                    Assert.True(expected.GetProperty("reason").GetString() == answer.Reason, $"reason differs ({answer.Source}: {answer.Reason}) for {where}");
                    Assert.Equal(expected.TryGetProperty("rule_id", out var rule) && rule.ValueKind == JsonValueKind.String ? rule.GetString() : null, answer.RuleId);
                    Assert.Equal(expected.TryGetProperty("feature_usage", out var usage) && usage.ValueKind == JsonValueKind.Number ? usage.GetInt64() : null, answer.FeatureUsage);
                    Assert.NotNull(answer.AsOf);
                }

                answers++;
                refused += viaStream.Value ? 0 : 1;
            }
        }

        Assert.Equal(Contexts * Demo.FlagKeys.Length, answers);
        Assert.InRange(refused, 1, answers - 1); // the contexts do not all answer alike

        // Warm, the datastream client answers everything in-process: the server answers no flag check meanwhile.
        var restChecksBefore = server.RestChecks;
        foreach (var (company, user) in contexts)
        {
            foreach (var flag in Demo.FlagKeys)
            {
                var warm = await streamed.CheckFlag(flag, company, user);
                Assert.Equal((await streamed.CheckFlagWithEntitlement(flag, company, user)).Value, warm);
            }
        }

        Assert.Equal(restChecksBefore, server.RestChecks);

        // An override written through the API reaches the next local answer within a second (issue 15's bound).
        var flip = new Dictionary<string, string> { ["id"] = "agree-flip" };
        var flipId = await Demo.CompanyAsync(server.Http, "agree-flip", "Free", 1);
        Assert.False((await streamed.CheckFlagWithEntitlement("sso", flip)).Value);
        var written = Stopwatch.StartNew();
        await Demo.OverrideAsync(server.Http, flipId, "SSO", true);
        await Demo.EventuallyAsync("the override to reach the local answer", () => streamed.CheckFlag("sso", flip), TimeSpan.FromSeconds(5));
        Assert.InRange(written.ElapsedMilliseconds, 0, 1000);

        // Track bumps the replicated usage at once: a Free company one call under its 1,000 is refused right after.
        var busy = new Dictionary<string, string> { ["id"] = "agree-busy" };
        await Demo.CompanyAsync(server.Http, "agree-busy", "Free", 1);
        await Demo.SendAsync(server.Http, HttpMethod.Post, "batch", new { events = new[] { new { api_key = LiveServer.ApiKey, type = "track", body = new { @event = "api_call", company = busy, quantity = 999 } } } });
        await Demo.EventuallyAsync("the usage of 999 to reach the replica", async () => (await streamed.CheckFlagWithEntitlement("api-calls", busy)).FeatureUsage == 999, TimeSpan.FromSeconds(5));
        Assert.True(await streamed.CheckFlag("api-calls", busy));
        streamed.Track("api_call", busy);
        Assert.False(await streamed.CheckFlag("api-calls", busy));
        Assert.True(await streamed.FlushAsync());
        await Demo.EventuallyAsync("the server to count the tracked call", async () =>
            !(await Demo.RestCheckAsync(server.Http, "api-calls", busy, null)).GetProperty("value").GetBoolean(), TimeSpan.FromSeconds(5));
    }
}
