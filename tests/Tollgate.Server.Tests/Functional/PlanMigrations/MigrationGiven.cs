using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.PlanMigrations;

/// <summary>Set-ups and waits shared by the migration tests.</summary>
internal static class MigrationGiven
{
    /// <summary>
    /// A published version 2 of Pro (published with <c>leave</c>: nobody moves) that drops <c>sso</c>, lowers
    /// <c>seats</c> from 10 to 5 and raises <c>api-calls</c> from 1,000 to 2,000 a month. Answers (v1, v2).
    /// </summary>
    public static async Task<(string V1, string V2)> ProVersionTwoAsync(PricingScenario s)
    {
        var v1 = (await s.Api.GetAsync($"/plans/{s.Pro}/versions")).ShouldBe(HttpStatusCode.OK).Data[0].GetProperty("id").GetString()!;
        var v2 = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        var copies = (await s.Api.GetAsync($"/plan-entitlements?plan_id={s.Pro}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Where(e => e.GetProperty("plan_version_id").GetString() == v2).ToList();
        string CopyOf(string featureId) => copies.Single(e => e.GetProperty("feature_id").GetString() == featureId).GetProperty("id").GetString()!;
        (await s.Api.DeleteAsync($"/plan-entitlements/{CopyOf(s.Sso)}")).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PutAsync($"/plan-entitlements/{CopyOf(s.Seats)}", new { valueType = "numeric", valueNumeric = 5 })).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PutAsync($"/plan-entitlements/{CopyOf(s.ApiCalls)}", new { valueType = "numeric", valueNumeric = 2000, metricPeriod = "current_month" })).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PutAsync($"/plans/version/{v2}/publish", new { migrationStrategy = "leave" })).ShouldBe(HttpStatusCode.OK);
        return (v1, v2);
    }

    /// <summary>Polls the migration until it is no longer pending or in progress (≤ 60 s); answers it.</summary>
    public static async Task<JsonElement> FinishedAsync(ApiClient api, string migrationId, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var migration = (await api.GetAsync($"/plan-version-migrations/{migrationId}")).ShouldBe(HttpStatusCode.OK).Data;
            if (migration.GetProperty("status").GetString() is not ("pending" or "in_progress"))
            {
                return migration;
            }

            Assert.True(DateTime.UtcNow < deadline, $"migration {migrationId} still {migration.GetProperty("status").GetString()}: {migration}");
            await Task.Delay(50);
        }
    }

    /// <summary>The version ids a company is on.</summary>
    public static async Task<List<string?>> VersionIdsAsync(ApiClient api, string companyId) =>
        [.. (await api.GetAsync($"/companies/{companyId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("plan_version_ids").EnumerateArray().Select(v => v.GetString())];

    /// <summary>The company rows of a migration, by company id.</summary>
    public static async Task<Dictionary<string, JsonElement>> RowsAsync(ApiClient api, string migrationId) =>
        (await api.GetAsync($"/plan-version-company-migrations?migration_id={migrationId}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .ToDictionary(r => r.GetProperty("company_id").GetString()!, r => r.Clone());
}
