using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Lifecycle;

/// <summary>
/// An environment with plans Free and Pro (Pro grants the boolean feature <c>sso</c>) and a plan group offering both:
/// Free is the default (initial) plan and the trial expiry plan, trials last 14 days.
/// </summary>
public sealed record LifecycleWorld(TollgateFactory Server, ApiClient Api, string Free, string Pro, string GroupId)
{
    public static async Task<LifecycleWorld> CreateAsync(TollgateFactory server, object? groupOverrides = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var api = await server.NewEnvironmentAsync();
        var sso = await Given.BooleanFeatureAsync(api, "sso");
        var free = await Given.PlanAsync(api, "Free");
        var pro = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = pro, featureId = sso, valueType = "boolean", valueBool = true });
        var group = (await api.PostAsync("/plan-groups", groupOverrides ?? Group(free, pro))).ShouldBe(HttpStatusCode.Created);
        return new LifecycleWorld(server, api, free, pro, group.Id);
    }

    /// <summary>The plan group body: both plans offered, Free initial and trial expiry, 14-day trials.</summary>
    public static Dictionary<string, object?> Group(string free, string pro) => new()
    {
        ["ordered_plans"] = new[] { new { planId = free }, new { planId = pro } },
        ["ordered_add_ons"] = Array.Empty<object>(),
        ["add_on_ids"] = Array.Empty<string>(),
        ["ordered_bundle_list"] = Array.Empty<object>(),
        ["initial_plan_id"] = free,
        ["trial_days"] = 14,
        ["trial_expiry_plan_id"] = free,
        ["proration_behavior"] = "create_prorations",
    };

    /// <summary>A company made through <c>POST /companies</c> with no plan named.</summary>
    public async Task<string> CompanyAsync(string key) => await Given.CompanyAsync(Api, key);

    /// <summary>The company as <c>GET /companies/{id}</c> answers it.</summary>
    public async Task<JsonElement> CompanyOfAsync(string id) => (await Api.GetAsync($"/companies/{id}")).ShouldBe(HttpStatusCode.OK).Data;

    /// <summary>The <c>plan</c> object of <c>POST /flags/check</c> for the company keyed <c>{"id": key}</c>.</summary>
    public async Task<JsonElement> CheckPlanAsync(string key) =>
        (await Api.PostAsync("/flags/check", new { company = Given.Keys(key) })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("plan");

    /// <summary>Starts a trial of Pro.</summary>
    public async Task<JsonElement> StartTrialAsync(string companyId, object? body = null) =>
        (await Api.PostAsync($"/companies/{companyId}/trial", body ?? new { planId = Pro })).ShouldBe(HttpStatusCode.OK).Data;

    /// <summary>The lifecycle events recorded for a company, oldest first.</summary>
    public async Task<IReadOnlyList<(string Type, JsonElement Data)>> EventsOfAsync(string companyId)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(string, string)>(
            "SELECT event_type, data FROM lifecycle_events WHERE environment_id = @env AND company_id = @companyId ORDER BY seq",
            new { env = Api.EnvironmentId, companyId });
        return [.. rows.Select(r => (r.Item1, JsonDocument.Parse(r.Item2).RootElement.Clone()))];
    }

    /// <summary>Polls (real time, at most 10 s) until the company's base plan is <paramref name="planId"/>.</summary>
    public async Task<JsonElement> EventuallyOnPlanAsync(string companyId, string planId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var company = await CompanyOfAsync(companyId);
            if (company.GetProperty("base_plan_id").GetString() == planId)
            {
                return company;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the company stayed on {company.GetProperty("base_plan_id")}, expected {planId}");
            await Task.Delay(20);
        }
    }
}
