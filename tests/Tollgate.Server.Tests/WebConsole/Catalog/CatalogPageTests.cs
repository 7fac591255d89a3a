using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Catalog;

/// <summary>
/// The console's catalog pages through HTTP (issue 12, item 2): a feature made in the console and granted in the grid
/// changes a check through the API (write → store → change feed → view → answer), a limit edited in the grid changes
/// the check's allocation, bad input is shown next to its field and writes nothing, a viewer's POSTs are refused,
/// and the audit log names the console user.
/// </summary>
public abstract class CatalogPageTests(TollgateFactory server)
{
    [Fact]
    public async Task AFeatureCreatedInTheConsoleAndGrantedInTheGridChangesTheCheckOfACompanyOnThePlan()
    {
        var api = server.Api();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var plan = await Given.PlanAsync(api, $"Pro {suffix}");
        await Given.CompanyAsync(api, $"pro-{suffix}", plan);
        using var console = await SignedInOwnerAsync();

        using var created = await console.PostFormAsync("/console/features/new", new()
        {
            ["Input.Name"] = $"Audit export {suffix}", ["Input.Key"] = $"audit-export-{suffix}", ["Input.Type"] = "boolean", ["Input.Description"] = "CSV of the audit log",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var featureId = created.Headers.Location!.OriginalString.Split('/')[^1];
        const string flash = "created. Grant it to plans below or in the entitlement grid.";
        Assert.Contains(flash, await console.PageAsync(created.Headers.Location.OriginalString), StringComparison.Ordinal);
        Assert.DoesNotContain(flash, await console.PageAsync(created.Headers.Location.OriginalString), StringComparison.Ordinal);
        Assert.False(await CheckAsync(api, $"audit-export-{suffix}", $"pro-{suffix}"));
        Assert.Contains($"Audit export {suffix}", await console.PageAsync("/console/plans/grid"), StringComparison.Ordinal);

        using var saved = await console.PostFormAsync(
            $"/console/plans/grid?handler=Save&plan={plan}&feature={featureId}", new() { ["Input.ValueType"] = "boolean" }, "/console/account");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.True(await CheckAsync(api, $"audit-export-{suffix}", $"pro-{suffix}"));
        var feature = await console.PageAsync($"/console/features/{featureId}");
        Assert.Contains($"/console/plans/{plan}\">Pro {suffix}</a>", feature, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditingALimitInTheGridChangesTheChecksAllocationAndTheCellShowsIt()
    {
        var api = server.Api();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var plan = await Given.PlanAsync(api, $"Pro {suffix}");
        var feature = await Given.EventFeatureAsync(api, $"api-calls-{suffix}", $"api_call_{suffix}");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = feature, valueType = "numeric", valueNumeric = 1000, metricPeriod = "current_month" });
        await Given.CompanyAsync(api, $"pro-{suffix}", plan);
        using var console = await SignedInOwnerAsync();
        Assert.Equal(1000, await AllocationAsync(api, $"api-calls-{suffix}", $"pro-{suffix}"));

        using var cell = await console.PostFormAsync(
            $"/console/plans/grid?handler=Save&plan={plan}&feature={feature}",
            new() { ["Input.ValueType"] = "numeric", ["Input.ValueNumeric"] = "25000", ["Input.MetricPeriod"] = "current_month", ["Input.SoftLimit"] = "20000" },
            "/console/account");

        Assert.Equal(HttpStatusCode.Redirect, cell.StatusCode);
        var html = await console.PageAsync($"/console/plans/grid?handler=Cell&plan={plan}&feature={feature}");
        Assert.Contains("25,000", html, StringComparison.Ordinal);
        Assert.Contains("/ month", html, StringComparison.Ordinal);
        Assert.Equal(25000, await AllocationAsync(api, $"api-calls-{suffix}", $"pro-{suffix}"));
        var stored = (await api.GetAsync($"/plan-entitlements?plan_id={plan}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single();
        Assert.Equal(20000, stored.GetProperty("soft_limit").GetInt64());
        Assert.Equal("current_month", stored.GetProperty("metric_period").GetString());
    }

    [Fact]
    public async Task BadInputIsShownNextToItsFieldAndWritesNothing()
    {
        var api = server.Api();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var plan = await Given.PlanAsync(api, $"Pro {suffix}");
        var feature = await Given.EventFeatureAsync(api, $"exports-{suffix}", $"export_{suffix}");
        using var console = await SignedInOwnerAsync();

        using var noLimit = await console.PostFormAsync($"/console/plans/{plan}/features/{feature}", new() { ["Input.ValueType"] = "numeric", ["Input.MetricPeriod"] = "current_month" });
        using var noSubtype = await console.PostFormAsync("/console/features/new", new() { ["Input.Name"] = $"Reports {suffix}", ["Input.Type"] = "event" });
        using var badTiers = await console.PostFormAsync(
            $"/console/plans/{plan}?handler=Add", new() { ["Input.FeatureId"] = feature, ["Input.ValueType"] = "numeric", ["Input.ValueNumeric"] = "10", ["Input.WarningTiers"] = "warn" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noLimit.StatusCode);
        Assert.Matches("id=\"ent-valuenumeric-error\">must be a whole number", await noLimit.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noSubtype.StatusCode);
        Assert.Matches("data-valmsg-for=\"Input.EventSubtype\"[^>]*>is required", await noSubtype.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badTiers.StatusCode);
        Assert.Contains("id=\"add-warningtiers-error\">write each tier as name=usage", await badTiers.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await api.GetAsync($"/plan-entitlements/count?plan_id={plan}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.DoesNotContain($"Reports {suffix}", (await api.GetAsync("/features?limit=1000")).ShouldBe(HttpStatusCode.OK).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewerReadsEveryCatalogPageButEveryPostIsRefused()
    {
        var api = server.Api();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var plan = await Given.PlanAsync(api, $"Team {suffix}");
        var feature = await Given.BooleanFeatureAsync(api, $"sso-{suffix}");
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer);
        using var console = await ConsoleHttp.SignInAsync(server, viewer.Email);

        var grid = await console.PageAsync("/console/plans/grid");
        await console.PageAsync("/console/features");
        await console.PageAsync($"/console/features/{feature}");
        await console.PageAsync("/console/plans");
        await console.PageAsync($"/console/plans/{plan}");
        await console.PageAsync($"/console/plans/{plan}/features/{feature}");
        var attempts = new (string Path, Dictionary<string, string> Fields)[]
        {
            ("/console/features/new", new() { ["Input.Name"] = $"Sneaky {suffix}", ["Input.Type"] = "boolean" }),
            ($"/console/features/{feature}?handler=Delete", []),
            ("/console/plans", new() { ["Input.Name"] = $"Sneaky {suffix}", ["Input.Type"] = "plan" }),
            ($"/console/plans/{plan}?handler=Delete", []),
            ($"/console/plans/{plan}/features/{feature}", new() { ["Input.ValueType"] = "boolean" }),
            ($"/console/plans/grid?handler=Save&plan={plan}&feature={feature}", new() { ["Input.ValueType"] = "boolean" }),
        };

        foreach (var (path, fields) in attempts)
        {
            using var refused = await console.PostFormAsync(path, fields, "/console/account");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.DoesNotContain("hx-get=", grid, StringComparison.Ordinal);
        Assert.Equal(0, (await api.GetAsync($"/plan-entitlements/count?plan_id={plan}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        (await api.GetAsync($"/features/{feature}")).ShouldBe(HttpStatusCode.OK);
        Assert.DoesNotContain($"Sneaky {suffix}", (await api.GetAsync("/plans?limit=1000")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditLogNamesTheConsoleUserWhoChangedThePlan()
    {
        var api = server.Api();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var feature = await Given.BooleanFeatureAsync(api, $"webhooks-{suffix}");
        var editor = await ConsoleUsers.CreateAsync(server, ConsoleRole.Editor, $"Eddie Editor {suffix}");
        using var console = await ConsoleHttp.SignInAsync(server, editor.Email);

        using var created = await console.PostFormAsync("/console/plans", new() { ["Input.Name"] = $"Scale {suffix}", ["Input.Type"] = "plan" });
        var plan = created.Headers.Location!.OriginalString.Split('/')[^1];
        using var added = await console.PostFormAsync($"/console/plans/{plan}?handler=Add", new() { ["Input.FeatureId"] = feature, ["Input.ValueType"] = "unlimited" });

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var entries = (await api.GetAsync("/audit-log?actor_type=app_user&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Where(e => e.GetProperty("user_id").GetString() == editor.Id).ToList();
        Assert.Contains(entries, e => e.GetProperty("resource_id_string").GetString() == plan);
        Assert.Contains(entries, e => e.ToString().Contains(feature, StringComparison.Ordinal) && e.ToString().Contains("plan_entitlement", StringComparison.Ordinal));
        Assert.All(entries, e => Assert.Equal($"Eddie Editor {suffix}", e.GetProperty("user_name").GetString()));
    }

    private async Task<ConsoleHttp> SignedInOwnerAsync()
    {
        var owner = await ConsoleUsers.OwnerAsync(server);
        return await ConsoleHttp.SignInAsync(server, owner.Email);
    }

    private static async Task<bool> CheckAsync(ApiClient api, string flag, string company) =>
        (await api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys(company) })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("value").GetBoolean();

    private static async Task<long?> AllocationAsync(ApiClient api, string flag, string company)
    {
        var data = (await api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys(company) })).ShouldBe(HttpStatusCode.OK).Data;
        return data.TryGetProperty("feature_allocation", out var allocation) && allocation.ValueKind == JsonValueKind.Number ? allocation.GetInt64() : null;
    }
}

public sealed class CatalogPageTestsOnSqlite(SqliteServer server) : CatalogPageTests(server), IClassFixture<SqliteServer>;

public sealed class CatalogPageTestsOnPostgres(PostgresServer server) : CatalogPageTests(server), IClassFixture<PostgresServer>;
