using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Api;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Data exports: created pending, produced by the background worker, their CSV streamed back with the right rows.</summary>
public abstract class DataExportTests(TollgateFactory server)
{
    [Fact]
    public async Task ACompanyUsageExportListsEachCompanyWithItsUsagePerFeature()
    {
        var (api, _) = await ScenarioAsync();

        var created = (await api.PostAsync("/data-exports", new { exportType = "company-feature-usage", outputFileType = "csv" })).ShouldBe(HttpStatusCode.Created).Data;
        var done = await FinishedAsync(api, created.GetProperty("id").GetString()!);
        var rows = Rows((await api.GetAsync($"/data-exports/{done.GetProperty("id").GetString()}/artifact")).ShouldBe(HttpStatusCode.OK).Text);

        Assert.Equal("pending", created.GetProperty("status").GetString());
        Assert.Equal(api.EnvironmentId, created.GetProperty("environment_id").GetString());
        Assert.Equal("success", done.GetProperty("status").GetString());
        Assert.Equal(
            "company_id,company_name,plan_id,plan_name,feature_id,feature_name,feature_type,access,usage,allocation,period,metric_reset_at", rows[0]);
        var acme = rows.Skip(1).Single(r => r.Contains(",acme,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(["Pro", "api-calls", "event", "true", "7", "100", "current_month"], [acme[3], acme[5], acme[6], acme[7], acme[8], acme[9], acme[10]]);
        var globex = rows.Skip(1).Single(r => r.Contains(",globex,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(string.Empty, globex[4]);
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task AnEventExportFiltersByCompanyAndTypeAndCanBeGzipped()
    {
        var (api, acmeId) = await ScenarioAsync();

        var id = (await api.PostAsync("/data-exports", new
        {
            exportType = "event", outputFileType = "csv.gz", metadata = new { exportType = "event", companyId = acmeId, eventTypes = new[] { "track" } },
        })).ShouldBe(HttpStatusCode.Created).Id;
        var done = await FinishedAsync(api, id);
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, api.Key);
        using var answer = await http.GetAsync(new Uri($"/data-exports/{id}/artifact", UriKind.Relative));
        var bytes = await answer.Content.ReadAsByteArrayAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{answer.StatusCode} {done} {Encoding.UTF8.GetString(bytes)}");
        Assert.True(bytes is [0x1f, 0x8b, ..], $"not gzip: {Convert.ToHexString(bytes.AsSpan(0, Math.Min(40, bytes.Length)))}");
        await using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var rows = Rows(await reader.ReadToEndAsync());

        Assert.Equal("application/gzip", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("success", done.GetProperty("status").GetString());
        Assert.Equal(acmeId, done.GetProperty("metadata").GetProperty("company_id").GetString());
        Assert.StartsWith("seq,event_type,event_subtype,company_id,user_id,quantity,", rows[0], StringComparison.Ordinal);
        Assert.Equal(["3", "4"], rows.Skip(1).Select(r => r.Split(',')[5]));
        Assert.All(rows.Skip(1), r => Assert.StartsWith("track,api_call," + acmeId + ",", r[(r.IndexOf(',', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExportsAreListedByStatusAndBadRequestsAreRefused()
    {
        var (api, _) = await ScenarioAsync();
        var id = (await api.PostAsync("/data-exports", new { exportType = "audit-log", outputFileType = "csv" })).ShouldBe(HttpStatusCode.Created).Id;
        var done = await FinishedAsync(api, id);
        var rows = Rows((await api.GetAsync($"/data-exports/{id}/artifact")).ShouldBe(HttpStatusCode.OK).Text);

        Assert.Equal("success", done.GetProperty("status").GetString());
        Assert.Equal("id,created_at,action,resource_type,resource_id,company_id,api_key_id", rows[0]);
        Assert.Contains(rows, r => r.Contains(",create,company,", StringComparison.Ordinal));
        Assert.Equal(id, Assert.Single((await api.GetAsync("/data-exports?status=success&export_type=audit-log")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray())
            .GetProperty("id").GetString());
        (await api.PostAsync("/data-exports", new { exportType = "users", outputFileType = "csv" })).ShouldFail(HttpStatusCode.BadRequest, "export_type");
        (await api.PostAsync("/data-exports", new { exportType = "event", outputFileType = "xlsx" })).ShouldFail(HttpStatusCode.BadRequest, "output_file_type");
        (await api.PostAsync("/data-exports", new { exportType = "event", outputFileType = "csv", metadata = new { startTime = "yesterday" } }))
            .ShouldFail(HttpStatusCode.BadRequest, "metadata.start_time");
        (await api.GetAsync("/data-exports/dexp_nope/artifact")).ShouldFail(HttpStatusCode.NotFound, "data export");
    }

    [Fact]
    public async Task ALargeExportIsWrittenInSeveralChunksThatReadBackAsOneFile()
    {
        var (api, acmeId) = await ScenarioAsync();
        for (var batch = 0; batch < 3; batch++)
        {
            await Events.SendAsync(api, [.. Enumerable.Range(0, 1000).Select(i => (object)Events.Track("api_call", "acme", 1, idempotencyKey: $"bulk-{batch}-{i}"))]);
        }

        var id = (await api.PostAsync("/data-exports", new { exportType = "event", outputFileType = "csv", metadata = new { eventTypes = new[] { "track" } } })).ShouldBe(HttpStatusCode.Created).Id;
        var done = await FinishedAsync(api, id);
        var rows = Rows((await api.GetAsync($"/data-exports/{id}/artifact")).ShouldBe(HttpStatusCode.OK).Text);
        var database = server.Services.GetRequiredService<Tollgate.Server.Storage.Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var chunks = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM data_export_chunks WHERE export_id = @id", new { id });

        Assert.Equal("success", done.GetProperty("status").GetString());
        Assert.True(chunks >= 2, $"{chunks} chunks");
        Assert.Equal(1 + 2 + 3000, rows.Count);
        Assert.Equal(3002, rows.Skip(1).Select(r => long.Parse(r.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Count());
        Assert.All(rows.Skip(1), r => Assert.Equal(acmeId, r.Split(',')[3]));
    }

    private static List<string> Rows(string csv) => [.. csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)];

    private static async Task<JsonElement> FinishedAsync(ApiClient api, string id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var export = (await api.GetAsync($"/data-exports/{id}")).ShouldBe(HttpStatusCode.OK).Data;
            if (export.GetProperty("status").GetString() != "pending" || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                return export;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Acme on Pro (100 API calls a month) having used 7 in two events; Globex on no plan.</summary>
    private async Task<(ApiClient Api, string AcmeId)> ScenarioAsync()
    {
        var api = await server.NewEnvironmentAsync();
        var calls = await Given.EventFeatureAsync(api, "api-calls", "api_call");
        var pro = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = pro, featureId = calls, valueType = "numeric", valueNumeric = 100, metricPeriod = "current_month" });
        var acme = await Given.CompanyAsync(api, "acme", pro);
        await Given.CompanyAsync(api, "globex");
        await Events.SendAsync(api, Events.Track("api_call", "acme", 3), Events.Track("api_call", "acme", 4));
        await Events.EventuallyAsync(
            async () => (await api.PostAsync("/flags/api-calls/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data,
            d => d.GetProperty("feature_usage").GetInt64() == 7);
        return (api, acme);
    }
}

public sealed class DataExportTestsOnSqlite(SqliteServer server) : DataExportTests(server), IClassFixture<SqliteServer>;

public sealed class DataExportTestsOnPostgres(PostgresServer server) : DataExportTests(server), IClassFixture<PostgresServer>;
