using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Plan versions (spec §5 plans): a plan starts at version 1, published; a draft copies it and is edited; publishing
/// archives the old version and moves companies as the migration strategy says, and checks follow at once.
/// </summary>
public abstract class PlanVersionTests(TollgateFactory server)
{
    [Fact]
    public async Task APlanIsCreatedWithVersionOnePublishedAndEntitlementsGoToIt()
    {
        var api = await server.NewEnvironmentAsync();
        var planId = await Given.PlanAsync(api, "Solo");
        var featureId = await Given.BooleanFeatureAsync(api, "webhooks");

        var versions = (await api.GetAsync($"/plans/{planId}/versions")).ShouldBe(HttpStatusCode.OK);
        var v1 = Assert.Single(versions.Data.EnumerateArray());
        var entitlementId = await Given.EntitlementAsync(api, new { planId, featureId, valueType = "boolean", valueBool = true });

        Assert.StartsWith("plvr_", v1.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(planId, v1.GetProperty("plan_id").GetString());
        Assert.Equal(1, v1.GetProperty("version").GetInt32());
        Assert.Equal("published", v1.GetProperty("status").GetString());
        Assert.Equal(v1.GetProperty("created_at").GetDateTimeOffset(), v1.GetProperty("published_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, v1.GetProperty("archived_at").ValueKind);
        Assert.Equal(v1.GetRawText(), (await api.GetAsync($"/plans/version/{v1.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK).Data.GetRawText());
        Assert.Equal(v1.GetProperty("id").GetString(), (await api.GetAsync($"/plan-entitlements/{entitlementId}")).Data.GetProperty("plan_version_id").GetString());
    }

    [Fact]
    public async Task ADraftCopiesThePublishedEntitlementsUnderNewIdsAndChangesNoCheckUntilPublished()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 2);
        var v1 = await PublishedVersionAsync(s.Api, s.Pro);

        var created = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created);
        var draft = created.Id;
        var original = await EntitlementsAsync(s.Api, s.Pro, v1);
        var copies = await EntitlementsAsync(s.Api, s.Pro, draft);
        var draftCalls = copies.Single(e => e.GetProperty("feature_id").GetString() == s.ApiCalls).GetProperty("id").GetString();
        (await s.Api.PutAsync($"/plan-entitlements/{draftCalls}", new { valueType = "numeric", valueNumeric = 2000, metricPeriod = "current_month" })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(2, created.Data.GetProperty("version").GetInt32());
        Assert.Equal("draft", created.Data.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, created.Data.GetProperty("published_at").ValueKind);
        Assert.Equal(Describe(original), Describe(copies));
        Assert.Empty(copies.Select(Id).Intersect(original.Select(Id)));
        Assert.All(copies, e => Assert.Equal(s.Pro, e.GetProperty("plan_id").GetString()));
        Assert.Equal(1000, await AllocationAsync(s, "acme"));
        Assert.Equal(1000, (await s.Api.GetAsync($"/plan-entitlements/{s.ProApiCalls}")).Data.GetProperty("value_numeric").GetInt64());
        Assert.Equal(
            ["published", "draft"],
            (await s.Api.GetAsync($"/plans/{s.Pro}/versions")).Data.EnumerateArray().Select(v => v.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task PublishingWithImmediateMovesEveryCompanyOnThePlanAtOnce()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 2);
        var v1 = await PublishedVersionAsync(s.Api, s.Pro);
        var draft = await DraftWithApiCallsAsync(s, 2000);

        var published = await PublishAsync(s.Api, draft, "immediate");

        Assert.Equal("published", published.GetProperty("status").GetString());
        Assert.Equal("immediate", published.GetProperty("migration_strategy").GetString());
        Assert.Equal(2000, await AllocationAsync(s, "acme"));
        var check = await s.CheckAsync("api-calls", "acme");
        Assert.StartsWith("Matched plan entitlement rule \"Pro v2\"", check.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True((await s.CheckAsync("sso", "acme")).GetProperty("value").GetBoolean());
        var archived = (await s.Api.GetAsync($"/plans/version/{v1}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("archived", archived.GetProperty("status").GetString());
        Assert.Equal(published.GetProperty("published_at").GetDateTimeOffset(), archived.GetProperty("archived_at").GetDateTimeOffset());
        Assert.Equal([draft], await VersionIdsOfCompanyAsync(s.Api, acme));
    }

    [Fact]
    public async Task PublishingWithLeaveKeepsCompaniesOnTheirVersionWhileNewAssignmentsGetTheNewOne()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 2);
        var starter = await s.CompanyAsync("globex", s.Starter, seats: 1);
        var v1 = await PublishedVersionAsync(s.Api, s.Pro);
        var draft = await DraftWithApiCallsAsync(s, 2000);

        await PublishAsync(s.Api, draft, "leave");
        var upserted = await s.CompanyAsync("initech", s.Pro, seats: 1);
        (await s.Api.PutAsync($"/company-plans/{starter}", new { basePlanId = s.Pro })).ShouldBe(HttpStatusCode.OK);
        await s.CompanyAsync("acme", s.Pro, seats: 3);

        Assert.Equal(1000, await AllocationAsync(s, "acme"));
        Assert.StartsWith("Matched plan entitlement rule \"Pro\"", (await s.CheckAsync("api-calls", "acme")).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(2000, await AllocationAsync(s, "initech"));
        Assert.Equal(2000, await AllocationAsync(s, "globex"));
        Assert.Equal([v1], await VersionIdsOfCompanyAsync(s.Api, acme));
        Assert.Equal([draft], await VersionIdsOfCompanyAsync(s.Api, upserted));
        Assert.True((await s.CheckAsync("sso", "acme")).GetProperty("value").GetBoolean(), "an archived version keeps granting what it granted");
    }

    [Fact]
    public async Task AnExcludedCompanyStaysOnTheOldVersion()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 2);
        var globex = await s.CompanyAsync("globex", s.Pro, seats: 2);
        var v1 = await PublishedVersionAsync(s.Api, s.Pro);
        var draft = await DraftWithApiCallsAsync(s, 2000);

        await PublishAsync(s.Api, draft, "immediate", [globex]);

        Assert.Equal(2000, await AllocationAsync(s, "acme"));
        Assert.Equal(1000, await AllocationAsync(s, "globex"));
        Assert.Equal([draft], await VersionIdsOfCompanyAsync(s.Api, acme));
        Assert.Equal([v1], await VersionIdsOfCompanyAsync(s.Api, globex));
    }

    [Fact]
    public async Task AnAddOnMovesToItsNewVersionLikeABasePlan()
    {
        var api = await server.NewEnvironmentAsync();
        var exports = await Given.EventFeatureAsync(api, "exports", "export");
        var basePlan = await Given.PlanAsync(api, "Base");
        var addOn = await Given.PlanAsync(api, "Exports pack", "add_on");
        await Given.EntitlementAsync(api, new { planId = addOn, featureId = exports, valueType = "numeric", valueNumeric = 10, metricPeriod = "current_month" });
        var company = (await api.PostAsync("/companies", new { keys = Given.Keys("acme"), basePlanId = basePlan, addOnIds = new[] { addOn } })).ShouldBe(HttpStatusCode.OK).Id;
        var draft = (await api.PostAsync($"/plans/{addOn}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        var copy = Assert.Single(await EntitlementsAsync(api, addOn, draft)).GetProperty("id").GetString();
        (await api.PutAsync($"/plan-entitlements/{copy}", new { valueType = "numeric", valueNumeric = 50, metricPeriod = "current_month" })).ShouldBe(HttpStatusCode.OK);

        await PublishAsync(api, draft, "immediate");

        var check = (await api.PostAsync("/flags/exports/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(50, check.GetProperty("feature_allocation").GetInt64());
        Assert.Equal([await PublishedVersionAsync(api, basePlan), draft], await VersionIdsOfCompanyAsync(api, company));
    }

    [Fact]
    public async Task AnEntitlementCanBeAddedToADraftByItsVersionIdAndAppliesOncePublished()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Starter, seats: 1);
        var draft = (await s.Api.PostAsync($"/plans/{s.Starter}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;

        var added = await Given.EntitlementAsync(s.Api, new { planId = s.Starter, planVersionId = draft, featureId = s.Sso, valueType = "boolean", valueBool = true });
        var before = await s.CheckAsync("sso", "acme");
        (await s.Api.PostAsync("/plan-entitlements", new { planId = s.Starter, planVersionId = draft, featureId = s.Sso, valueType = "unlimited" }))
            .ShouldFail(HttpStatusCode.Conflict, "feature_id");
        await PublishAsync(s.Api, draft, "immediate");
        var after = await s.CheckAsync("sso", "acme");

        Assert.Equal(draft, (await s.Api.GetAsync($"/plan-entitlements/{added}")).Data.GetProperty("plan_version_id").GetString());
        Assert.False(before.GetProperty("value").GetBoolean());
        Assert.True(after.GetProperty("value").GetBoolean());
        Assert.Equal($"Matched plan entitlement rule \"Starter v2\" ({added})", after.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ThePublishedVersionsEntitlementsMayChangeButAnArchivedVersionsMayNot()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 2);
        var v1 = await PublishedVersionAsync(s.Api, s.Pro);
        (await s.Api.PutAsync($"/plan-entitlements/{s.ProApiCalls}", new { valueType = "numeric", valueNumeric = 1500, metricPeriod = "current_month" })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1500, await AllocationAsync(s, "acme"));
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        await PublishAsync(s.Api, draft, "leave");

        (await s.Api.PutAsync($"/plan-entitlements/{s.ProApiCalls}", new { valueType = "numeric", valueNumeric = 1 })).ShouldFail(HttpStatusCode.UnprocessableEntity, "archived");
        (await s.Api.DeleteAsync($"/plan-entitlements/{s.ProSso}")).ShouldFail(HttpStatusCode.UnprocessableEntity, "plan_version_id");
        (await s.Api.PostAsync("/plan-entitlements", new { planId = s.Pro, planVersionId = v1, featureId = await Given.BooleanFeatureAsync(s.Api, "audit"), valueType = "unlimited" }))
            .ShouldFail(HttpStatusCode.UnprocessableEntity, "plan_version_id");
        (await s.Api.PostAsync("/plan-entitlements", new { planId = s.Starter, planVersionId = draft, featureId = s.Sso, valueType = "unlimited" }))
            .ShouldFail(HttpStatusCode.BadRequest, "plan_version_id");
        (await s.Api.PostAsync("/plan-entitlements", new { planId = s.Pro, planVersionId = "plvr_missing", featureId = s.Sso, valueType = "unlimited" }))
            .ShouldFail(HttpStatusCode.BadRequest, "plan_version_id");

        Assert.Equal(1500, (await s.Api.GetAsync($"/plan-entitlements/{s.ProApiCalls}")).Data.GetProperty("value_numeric").GetInt64());
        Assert.Equal(1500, await AllocationAsync(s, "acme"));
    }

    [Fact]
    public async Task ADraftIsDeletedWithItsEntitlementsButNoOtherVersionCanBe()
    {
        var s = await PricingScenario.CreateAsync(server);
        var v1 = await PublishedVersionAsync(s.Api, s.Pro);
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        var copies = await EntitlementsAsync(s.Api, s.Pro, draft);

        Assert.Equal("""{"data":{"deleted":true},"params":{}}""", (await s.Api.DeleteAsync($"/plans/version/{draft}")).ShouldBe(HttpStatusCode.OK).Text);

        (await s.Api.GetAsync($"/plans/version/{draft}")).ShouldFail(HttpStatusCode.NotFound, "plan version not found");
        (await s.Api.DeleteAsync($"/plans/version/{draft}")).ShouldFail(HttpStatusCode.NotFound, "plan version not found");
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            (await s.Api.GetAsync($"/plan-entitlements/{Id(copy)}")).ShouldBe(HttpStatusCode.NotFound);
        }

        (await s.Api.DeleteAsync($"/plans/version/{v1}")).ShouldFail(HttpStatusCode.UnprocessableEntity, "only a draft can be deleted");
        var second = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(2, second.Data.GetProperty("version").GetInt32());
        await PublishAsync(s.Api, second.Id, "leave");
        (await s.Api.DeleteAsync($"/plans/version/{v1}")).ShouldFail(HttpStatusCode.UnprocessableEntity, "is archived");
        (await s.Api.DeleteAsync($"/plans/version/{second.Id}")).ShouldFail(HttpStatusCode.UnprocessableEntity, "is published");
        Assert.Equal(2, (await s.Api.GetAsync($"/plans/{s.Pro}/versions")).Data.GetArrayLength());
    }

    [Fact]
    public async Task APlanHasAtMostOneDraftAndOnlyADraftCanBePublished()
    {
        var s = await PricingScenario.CreateAsync(server);
        var v1 = await PublishedVersionAsync(s.Api, s.Pro);
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;

        (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldFail(HttpStatusCode.Conflict, "plan_id");
        (await s.Api.PutAsync($"/plans/version/{v1}/publish", new { migrationStrategy = "immediate" })).ShouldFail(HttpStatusCode.UnprocessableEntity, "only a draft can be published");
        (await s.Api.PostAsync($"/plans/{s.Starter}/versions", null)).ShouldBe(HttpStatusCode.Created);
        await PublishAsync(s.Api, draft, "immediate");
        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { migrationStrategy = "immediate" })).ShouldFail(HttpStatusCode.UnprocessableEntity, "is published");
        (await s.Api.PutAsync($"/plans/version/{v1}/publish", new { migrationStrategy = "leave" })).ShouldFail(HttpStatusCode.UnprocessableEntity, "is archived");
        var third = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created);

        Assert.Equal(3, third.Data.GetProperty("version").GetInt32());
        Assert.Equal(
            [(1, "archived"), (2, "published"), (3, "draft")],
            (await s.Api.GetAsync($"/plans/{s.Pro}/versions")).Data.EnumerateArray().Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("status").GetString())));
        var page = (await s.Api.GetAsync($"/plans/{s.Pro}/versions?limit=1&offset=1")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([draft], page.Data.EnumerateArray().Select(v => v.GetProperty("id").GetString()));
        Assert.Equal(1, page.Params.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task UnknownPlansAndVersionsAreAnswered404()
    {
        var api = server.Api();

        (await api.GetAsync("/plans/plan_missing/versions")).ShouldFail(HttpStatusCode.NotFound, "plan not found");
        (await api.PostAsync("/plans/plan_missing/versions", null)).ShouldFail(HttpStatusCode.NotFound, "plan not found");
        (await api.GetAsync("/plans/version/plvr_missing")).ShouldFail(HttpStatusCode.NotFound, "plan version not found");
        (await api.DeleteAsync("/plans/version/plvr_missing")).ShouldFail(HttpStatusCode.NotFound, "plan version not found");
        (await api.PutAsync("/plans/version/plvr_missing/publish", new { migrationStrategy = "immediate" })).ShouldFail(HttpStatusCode.NotFound, "plan version not found");
    }

    [Fact]
    public async Task PublishRequestsAreValidatedFieldByFieldAndARejectedOneChangesNothing()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 2);
        var draft = await DraftWithApiCallsAsync(s, 2000);
        var audited = (await s.Api.GetAsync("/audit-log?limit=1000")).Data.GetArrayLength();

        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { })).ShouldFail(HttpStatusCode.BadRequest, "migration_strategy");
        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { migrationStrategy = "eventually" })).ShouldFail(HttpStatusCode.BadRequest, "migration_strategy");
        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { migrationStrategy = "immediate", excludedCompanyIds = new[] { acme, "" } }))
            .ShouldFail(HttpStatusCode.BadRequest, "excluded_company_ids[1]");
        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { migrationStrategy = "immediate", excludedCompanyIds = new[] { "comp_missing" } }))
            .ShouldFail(HttpStatusCode.BadRequest, "excluded_company_ids[0]");
        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { migrationStrategy = "immediate", excludedCompanyIds = Enumerable.Repeat(acme, 1001) }))
            .ShouldFail(HttpStatusCode.BadRequest, "excluded_company_ids");
        (await s.Api.SendRawAsync(HttpMethod.Put, $"/plans/version/{draft}/publish", """{"migration_strategy":"immediate","excluded_company_ids":"all"}"""))
            .ShouldFail(HttpStatusCode.BadRequest, "body.excluded_company_ids");
        (await s.Api.SendRawAsync(HttpMethod.Put, $"/plans/version/{draft}/publish", "{")).ShouldFail(HttpStatusCode.BadRequest, "body");

        Assert.Equal("draft", (await s.Api.GetAsync($"/plans/version/{draft}")).Data.GetProperty("status").GetString());
        Assert.Equal(1000, await AllocationAsync(s, "acme"));
        Assert.Equal(audited, (await s.Api.GetAsync("/audit-log?limit=1000")).Data.GetArrayLength());
    }

    [Fact]
    public async Task RandomPublishAndVersionedEntitlementBodiesNeverGetA5xx()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 1);
        var exports = await Given.EventFeatureAsync(s.Api, "exports", "export");
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        var fuzzer = new JsonFuzzer(seed: 20250612, [acme, s.Pro, s.Starter, s.Sso, exports, draft, await PublishedVersionAsync(s.Api, s.Pro)]);
        var failures = new List<string>();

        async Task<ApiResponse> SendAsync(HttpMethod method, string path, string body)
        {
            var response = await s.Api.SendRawAsync(method, path, body);
            if ((int)response.Status >= 500)
            {
                failures.Add($"{response}\n    body: {body}");
            }

            return response;
        }

        for (var i = 0; i < 120; i++)
        {
            var published = await SendAsync(HttpMethod.Put, $"/plans/version/{draft}/publish", fuzzer.Next($$"""{"migration_strategy":"immediate","excluded_company_ids":["{{acme}}"]}"""));
            await SendAsync(HttpMethod.Post, "/plan-entitlements", fuzzer.Next($$"""{"plan_id":"{{s.Pro}}","plan_version_id":"{{draft}}","feature_id":"{{exports}}","value_type":"numeric","value_numeric":5}"""));
            if (published.Status == HttpStatusCode.OK)
            {
                draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
            }
        }

        (await s.Api.PostAsync("/flags/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK);
        Assert.True(failures.Count == 0, $"{failures.Count} bodies got a 5xx:\n{string.Join('\n', failures.Take(25))}");
    }

    [Fact]
    public async Task EndOfBillingPeriodMovesEachCompanyAtItsPeriodEndWithoutAnyRequest()
    {
        var s = await PricingScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var periodEnd = now.AddDays(10);
        var billed = (await s.Api.PostAsync("/companies", new
        {
            keys = Given.Keys("acme"), basePlanId = s.Pro, subscription = new { id = "sub_1", periodStart = now.AddDays(-20), periodEnd },
        })).ShouldBe(HttpStatusCode.OK).Id;
        await s.CompanyAsync("globex", s.Pro, seats: 1);
        var v1 = await PublishedVersionAsync(s.Api, s.Pro);
        var draft = await DraftWithApiCallsAsync(s, 2000);
        Assert.Equal(1000, await AllocationAsync(s, "acme"));

        await PublishAsync(s.Api, draft, "end_of_billing_period");

        Assert.Equal(2000, await AllocationAsync(s, "globex"));
        Assert.Equal(1000, await AllocationAsync(s, "acme"));
        var scheduled = Assert.Single((await s.Api.GetAsync($"/companies/{billed}")).Data.GetProperty("scheduled_plan_versions").EnumerateArray());
        Assert.Equal((s.Pro, draft, periodEnd), (scheduled.GetProperty("plan_id").GetString(), scheduled.GetProperty("plan_version_id").GetString(), scheduled.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal([v1], await VersionIdsOfCompanyAsync(s.Api, billed));

        server.Time.SetUtcNow(periodEnd.AddSeconds(-1));
        Assert.Equal(1000, await AllocationAsync(s, "acme"));
        server.Time.SetUtcNow(periodEnd);
        Assert.Equal(2000, await AllocationAsync(s, "acme"));

        var company = (await s.Api.GetAsync($"/companies/{billed}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal([draft], company.GetProperty("plan_version_ids").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(0, company.GetProperty("scheduled_plan_versions").GetArrayLength());
    }

    [Fact]
    public async Task EveryVersionWriteIsAudited()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 2);
        var v1 = await PublishedVersionAsync(s.Api, s.Pro);
        var draft = await DraftWithApiCallsAsync(s, 2000);
        var copy = (await EntitlementsAsync(s.Api, s.Pro, draft)).First(e => e.GetProperty("feature_id").GetString() == s.Sso);
        await PublishAsync(s.Api, draft, "immediate");
        var discarded = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        (await s.Api.DeleteAsync($"/plans/version/{discarded}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("plan_version:update,plan_version:create", await ActionsAsync(s.Api, v1));
        Assert.Equal("plan_version:update,plan_version:create", await ActionsAsync(s.Api, draft));
        Assert.Equal("plan_version:delete,plan_version:create", await ActionsAsync(s.Api, discarded));
        Assert.Equal("plan_entitlement:create", await ActionsAsync(s.Api, Id(copy)));
        var entries = await EntriesAsync(s.Api, $"resource_id={draft}");
        Assert.Equal("draft", entries[0].GetProperty("before").GetProperty("status").GetString());
        Assert.Equal("published", entries[0].GetProperty("after").GetProperty("status").GetString());
        Assert.All(entries, e => Assert.Equal(s.Api.KeyId, e.GetProperty("api_key_id").GetString()));
        var moved = (await EntriesAsync(s.Api, $"company_id={acme}"))[0];
        Assert.Equal("company:update", $"{moved.GetProperty("resource_type").GetString()}:{moved.GetProperty("action").GetString()}");
        Assert.Equal(v1, moved.GetProperty("before").GetProperty("plan_versions").GetProperty(s.Pro).GetString());
        Assert.Equal(draft, moved.GetProperty("after").GetProperty("plan_versions").GetProperty(s.Pro).GetString());
        Assert.Equal(s.Api.KeyId, moved.GetProperty("api_key_id").GetString());
    }

    [Fact]
    public async Task DeletingAPlanDeletesAllItsVersionsAndTheirEntitlements()
    {
        var s = await PricingScenario.CreateAsync(server);
        var v1 = await PublishedVersionAsync(s.Api, s.Pro);
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        await PublishAsync(s.Api, draft, "immediate");
        var third = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;

        (await s.Api.DeleteAsync($"/plans/{s.Pro}")).ShouldBe(HttpStatusCode.OK);

        foreach (var version in new[] { v1, draft, third })
        {
            (await s.Api.GetAsync($"/plans/version/{version}")).ShouldBe(HttpStatusCode.NotFound);
        }

        Assert.Equal(0, (await s.Api.GetAsync($"/plan-entitlements?plan_id={s.Pro}")).Data.GetArrayLength());
    }

    [Fact]
    public async Task APlanStoredBeforeVersionsExistedHasAnImplicitPublishedVersionOneThatKeepsItsCompanies()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 2);
        await MakeUnversionedAsync(s, s.Pro, acme);

        var listed = Assert.Single((await s.Api.GetAsync($"/plans/{s.Pro}/versions")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        var implicitId = listed.GetProperty("id").GetString()!;
        Assert.Equal(("published", 1), (listed.GetProperty("status").GetString(), listed.GetProperty("version").GetInt32()));
        Assert.Equal(1000, await AllocationAsync(s, "acme"));
        Assert.StartsWith("Matched plan entitlement rule \"Pro\"", (await s.CheckAsync("api-calls", "acme")).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, (await s.Api.GetAsync($"/plan-entitlements/{s.ProApiCalls}")).Data.GetProperty("plan_version_id").ValueKind);

        var draft = await DraftWithApiCallsAsync(s, 2000);
        Assert.Equal(2, (await s.Api.GetAsync($"/plans/version/{draft}")).Data.GetProperty("version").GetInt32());
        Assert.Equal(implicitId, (await s.Api.GetAsync($"/plan-entitlements/{s.ProApiCalls}")).Data.GetProperty("plan_version_id").GetString());
        Assert.Equal("plan_version:create", await ActionsAsync(s.Api, implicitId));
        await PublishAsync(s.Api, draft, "leave");
        await s.CompanyAsync("initech", s.Pro, seats: 1);

        Assert.Equal(1000, await AllocationAsync(s, "acme"));
        Assert.Equal(2000, await AllocationAsync(s, "initech"));
        Assert.Equal("archived", (await s.Api.GetAsync($"/plans/version/{implicitId}")).Data.GetProperty("status").GetString());
        Assert.Equal(
            [(implicitId, "archived"), (draft, "published")],
            (await s.Api.GetAsync($"/plans/{s.Pro}/versions")).Data.EnumerateArray().Select(v => (v.GetProperty("id").GetString()!, v.GetProperty("status").GetString())));

        var next = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        await PublishAsync(s.Api, next, "immediate");
        Assert.Equal(2000, await AllocationAsync(s, "acme"));
        Assert.Equal([next], await VersionIdsOfCompanyAsync(s.Api, acme));
    }

    /// <summary>
    /// Rewrites a plan, its entitlements and a company on it as they were stored before plans had versions: no version
    /// documents, no <c>plan_version_id</c> on entitlements, no recorded versions on companies.
    /// </summary>
    private async Task MakeUnversionedAsync(PricingScenario s, string planId, string companyId)
    {
        var environmentId = s.Api.EnvironmentId!;
        var store = server.Services.GetRequiredService<ResourceStore>();
        var versions = await store.ListAsync<PlanVersionRecord>(environmentId, ResourceKinds.PlanVersion, planId, 1000, 0, CancellationToken.None);
        var entitlements = await store.ListAsync<PlanEntitlementRecord>(environmentId, ResourceKinds.PlanEntitlement, planId, 1000, 0, CancellationToken.None);
        var company = await store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyId, CancellationToken.None);
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                foreach (var version in versions)
                {
                    await ResourceStore.DeleteAsync(connection, transaction, environmentId, ResourceKinds.PlanVersion, version.Id);
                }

                foreach (var entitlement in entitlements)
                {
                    await store.PutAsync(connection, transaction, environmentId, ResourceKinds.PlanEntitlement, entitlement.Id, null, planId, entitlement with { PlanVersionId = null });
                }

                await store.PutAsync(connection, transaction, environmentId, ResourceKinds.Company, companyId, null, null, company! with { PlanVersions = new Dictionary<string, string>() });
                return true;
            },
            CancellationToken.None);
        var changes = server.Services.GetRequiredService<ChangeFeed>();
        await changes.PublishAsync(new Change(environmentId, ChangeKind.Catalog, []));
        await changes.PublishAsync(new Change(environmentId, ChangeKind.Company, [companyId]));
        Assert.Single(versions);
    }

    /// <summary>A draft of Pro whose <c>api-calls</c> limit is <paramref name="limit"/> a month.</summary>
    private static async Task<string> DraftWithApiCallsAsync(PricingScenario s, long limit)
    {
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        var calls = (await EntitlementsAsync(s.Api, s.Pro, draft)).Single(e => e.GetProperty("feature_id").GetString() == s.ApiCalls);
        (await s.Api.PutAsync($"/plan-entitlements/{Id(calls)}", new { valueType = "numeric", valueNumeric = limit, metricPeriod = "current_month" })).ShouldBe(HttpStatusCode.OK);
        return draft;
    }

    private static async Task<JsonElement> PublishAsync(ApiClient api, string versionId, string strategy, string[]? excluded = null) =>
        (await api.PutAsync($"/plans/version/{versionId}/publish", new { migrationStrategy = strategy, excludedCompanyIds = excluded })).ShouldBe(HttpStatusCode.OK).Data;

    private static async Task<string> PublishedVersionAsync(ApiClient api, string planId) =>
        (await api.GetAsync($"/plans/{planId}/versions")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(v => v.GetProperty("status").GetString() == "published").GetProperty("id").GetString()!;

    private static async Task<List<JsonElement>> EntitlementsAsync(ApiClient api, string planId, string versionId) =>
        [.. (await api.GetAsync($"/plan-entitlements?plan_id={planId}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Where(e => e.GetProperty("plan_version_id").GetString() == versionId)];

    private static async Task<long> AllocationAsync(PricingScenario s, string company) =>
        (await s.CheckAsync("api-calls", company)).GetProperty("feature_allocation").GetInt64();

    private static async Task<List<string?>> VersionIdsOfCompanyAsync(ApiClient api, string companyId) =>
        [.. (await api.GetAsync($"/companies/{companyId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("plan_version_ids").EnumerateArray().Select(v => v.GetString())];

    private static async Task<string> ActionsAsync(ApiClient api, string resourceId) =>
        string.Join(',', (await EntriesAsync(api, $"resource_id={resourceId}")).Select(e => $"{e.GetProperty("resource_type").GetString()}:{e.GetProperty("action").GetString()}"));

    private static async Task<List<JsonElement>> EntriesAsync(ApiClient api, string query) =>
        [.. (await api.GetAsync($"/audit-log?{query}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()];

    private static string Id(JsonElement resource) => resource.GetProperty("id").GetString()!;

    /// <summary>What an entitlement grants, without its ids and times.</summary>
    private static List<string> Describe(IEnumerable<JsonElement> entitlements) =>
    [
        .. entitlements.Select(e => string.Join(
            '|',
            e.EnumerateObject().Where(p => p.Name is not ("id" or "plan_version_id" or "rule_id" or "rule_id_usage_exceeded" or "created_at" or "updated_at")).Select(p => $"{p.Name}={p.Value.GetRawText()}")))
            .Order(StringComparer.Ordinal),
    ];
}

public sealed class PlanVersionTestsOnSqlite(SqliteServer server) : PlanVersionTests(server), IClassFixture<SqliteServer>;

public sealed class PlanVersionTestsOnPostgres(PostgresServer server) : PlanVersionTests(server), IClassFixture<PostgresServer>;
