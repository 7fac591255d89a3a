using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Tests.SdkClient;
using Tollgate.Tests.Shared;

namespace Tollgate.Server.Tests.Datastream;

/// <summary>
/// Schematic's own Node SDK with <c>useDataStream: true</c> is the judge of <c>GET /datastream</c> (issue 15, Proof):
/// it replicates flags, companies and users, evaluates with its WASM engine, and must agree with Tollgate's REST
/// answers without making a single REST flag check; an override written afterwards reaches its next local answer.
/// </summary>
public sealed class NodeSdkDatastreamTests
{
    private const int Contexts = 1000;

    [Fact]
    public async Task NodeSdkAnswersLocallyFromTheDatastreamAsRestDoesAndSeesAnOverrideWithinASecond()
    {
        var checks = new RestCheckCounter();
        await using var server = await LoopbackServer.StartAsync(CancellationToken.None, b => b.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(checks));
        var (json, stderr) = await SdkDriver.RunScriptAsync(
            "drive-datastream.mjs", [server.BaseAddress.ToString().TrimEnd('/'), LoopbackServer.ApiKey, Contexts.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(5), CancellationToken.None);
        var run = new SdkRun(json, stderr);
        run.Value("ready");
        Assert.Equal(Contexts * 4, run.Value("local answers").GetInt32());
        var flip = run.Value("override flips a local answer");

        // Every answer was local: the server answered no flag check, and the SDK asked for none.
        Assert.Equal(0, checks.Count);
        Assert.DoesNotContain(run.Requests, r => r.Path.StartsWith("/flags", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Logs, l => l.Level is "error" or "warn");

        // The override changed the SDK's local answer within a second (issue 15's bound), with no REST check either.
        Assert.False(flip.GetProperty("before").GetBoolean());
        Assert.InRange(flip.GetProperty("ms").GetInt64(), 0, 1000);

        var contexts = json.GetProperty("contexts").EnumerateArray().ToList();
        var rest = new Dictionary<int, Dictionary<string, JsonElement>>();
        await Parallel.ForEachAsync(Enumerable.Range(0, contexts.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await server.Http.PostAsJsonAsync(new Uri("flags/check", UriKind.Relative), contexts[i], ct);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
            var flags = body.GetProperty("data").GetProperty("flags").EnumerateArray().ToDictionary(f => f.GetProperty("flag").GetString()!, f => f.Clone());
            lock (rest)
            {
                rest[i] = flags;
            }
        });

        var answers = json.GetProperty("local").EnumerateArray().ToList();
        Assert.Equal(Contexts * 4, answers.Count);
        Assert.Contains(answers, a => !a.GetProperty("value").GetBoolean()); // the contexts do not all answer alike
        Assert.Contains(answers, a => a.GetProperty("reason").GetString()!.Contains("usage exceeded", StringComparison.Ordinal));
        foreach (var local in answers)
        {
            var expected = rest[local.GetProperty("context").GetInt32()][local.GetProperty("flag").GetString()!];
            var where = $"context {contexts[local.GetProperty("context").GetInt32()]}, flag {local.GetProperty("flag")}";
            Assert.True(expected.GetProperty("value").GetBoolean() == local.GetProperty("value").GetBoolean(), $"value differs for {where}: REST {expected}, local {local}");
            Assert.Equal(expected.GetProperty("reason").GetString(), local.GetProperty("reason").GetString());
            Assert.Equal(expected.GetProperty("rule_id").GetString(), local.GetProperty("ruleId").GetString());
        }
    }
}
