using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tollgate.Server.Tests.SdkClient;

/// <summary>
/// Issue 3, "A real client": the official Schematic Node SDK (<c>@schematichq/schematic-typescript-node</c> 1.6.2),
/// pointed at a running Tollgate by <c>basePath</c> and <c>eventCaptureBaseURL</c>, gets the demo data set's answers.
/// The SDK calls are made by <c>tests/sdk-client/drive-sdk.mjs</c>; what the SDK returns is asserted here, together
/// with the requests it sent (spec: <c>schematic-node-sdk-wire.md</c>) and what the server holds afterwards.
/// </summary>
public sealed partial class SdkClientTests(SdkClientFixture fixture) : IClassFixture<SdkClientFixture>
{
    private SdkRun Run => fixture.Run;

    [Fact]
    public void TheScriptUsedThePinnedSdkAndEveryResourceCallSucceeded()
    {
        Assert.Equal("1.6.2", Run.SdkVersion);
        var failed = Run.StepNames.Where(s => !Run.Succeeded(s)).Select(s => $"{s}: {Run.Outcome(s).GetProperty("error")}").ToList();
        Assert.True(failed.Count == 0, "SDK calls that threw:\n" + string.Join('\n', failed));
    }

    [Fact]
    public void CheckFlagAnswersFollowTheDemoPlans()
    {
        Assert.True(Run.Value("checkFlag acme api-calls").GetBoolean(), "acme is on Pro, which grants api-calls");
        Assert.False(Run.Value("checkFlag globex sso").GetBoolean(), "globex is on Free, which has no sso");
        Assert.True(Run.Value("checkFlag initech sso").GetBoolean(), "initech is on Enterprise, which grants sso");
        Assert.False(Run.Value("checkFlag unknown company sso").GetBoolean());
        Assert.True(Run.Value("checkFlag sdk-co api-calls").GetBoolean(), "sdk-co was put on Pro through plans.updateCompanyPlans");
        Assert.False(Run.Value("checkFlag sdk-co sso").GetBoolean());
        Assert.False(Run.Value("checkFlag preflight acme api-calls over limit").GetBoolean(), "a preflight of 100001 api_call events exceeds Pro's 100000");
    }

    [Fact]
    public void AnUnknownFlagGivesTheSdksDefaultAfterOneNotFoundAnswer()
    {
        Assert.False(Run.Value("checkFlag unknown flag").GetBoolean());
        Assert.True(Run.Value("checkFlag unknown flag defaultValue true").GetBoolean(), "the per-call defaultValue is the SDK's fallback");

        var fallback = Run.Value("checkFlagWithEntitlement unknown flag");
        Assert.Equal("does-not-exist", fallback.GetProperty("flagKey").GetString());
        Assert.False(fallback.GetProperty("value").GetBoolean());
        Assert.Equal("flag default", fallback.GetProperty("reason").GetString());

        // Schematic answers an unknown flag with 404, which the SDK does not retry (spec §2): one request per call.
        var unknown = Run.Requests.Where(r => r.Path == "/flags/does-not-exist/check").ToList();
        Assert.Equal(3, unknown.Count);
        Assert.All(unknown, r => Assert.Equal(("POST", "404"), (r.Method, r.Status)));
    }

    [Fact]
    public async Task CheckFlagWithEntitlementCarriesTheProPlansRuleAndEntitlement()
    {
        var result = Run.Value("checkFlagWithEntitlement acme api-calls");
        Assert.True(result.GetProperty("value").GetBoolean());
        Assert.Equal("api-calls", result.GetProperty("flagKey").GetString());
        Assert.Equal(await fixture.IdOfAsync("flags", "key", "api-calls"), result.GetProperty("flagId").GetString());
        Assert.Equal(await fixture.CompanyIdAsync("acme"), result.GetProperty("companyId").GetString());
        Assert.Equal("plan_entitlement", result.GetProperty("ruleType").GetString());

        var reason = MatchedPlanRule().Match(result.GetProperty("reason").GetString()!);
        Assert.True(reason.Success, $"unexpected reason: {result.GetProperty("reason")}");
        Assert.Equal("Pro", reason.Groups["plan"].Value);
        Assert.Equal(result.GetProperty("ruleId").GetString(), reason.Groups["rule"].Value);

        var entitlement = result.GetProperty("entitlement");
        Assert.Equal(await fixture.IdOfAsync("features", "name", "API calls"), entitlement.GetProperty("featureId").GetString());
        Assert.Equal("api-calls", entitlement.GetProperty("featureKey").GetString());
        Assert.Equal("numeric", entitlement.GetProperty("valueType").GetString());
        Assert.Equal(100_000, entitlement.GetProperty("allocation").GetInt64());
        Assert.Equal(0, entitlement.GetProperty("usage").GetInt64());
        Assert.Equal("current_month", entitlement.GetProperty("metricPeriod").GetString());
        Assert.Equal("first_of_month", entitlement.GetProperty("monthReset").GetString());
        Assert.Equal("api_call", entitlement.GetProperty("eventName").GetString());
    }

    [Fact]
    public async Task ATraitAndAUserWrittenThroughTheSdkShowInTheNextCheck()
    {
        // upsertCompany set seats = 4, upsertCompanyTrait added 1, upsertUser attached dev@sdk-co.test; Pro allows 25 seats.
        var result = Run.Value("checkFlagWithEntitlement sdk-co seats with user");
        Assert.True(result.GetProperty("value").GetBoolean());
        Assert.Equal(await fixture.CompanyIdAsync("sdk-co"), result.GetProperty("companyId").GetString());
        Assert.Equal(Run.Value("companies.upsertUser").GetProperty("id").GetString(), result.GetProperty("userId").GetString());
        Assert.Equal("Matched plan entitlement rule \"Pro\"", MatchedPlanRule().Match(result.GetProperty("reason").GetString()!).Groups["prefix"].Value);
        var entitlement = result.GetProperty("entitlement");
        Assert.Equal("seats", entitlement.GetProperty("featureKey").GetString());
        Assert.Equal(25, entitlement.GetProperty("allocation").GetInt64());
        Assert.Equal(5, entitlement.GetProperty("usage").GetInt64());
    }

    [Fact]
    public void CheckFlagsReturnsEveryFlagAndTheDefaultForAnUnknownKey()
    {
        var all = Run.Value("checkFlags acme").EnumerateArray().ToDictionary(f => f.GetProperty("flag").GetString()!);
        Assert.Equal(["ai-credits", "api-calls", "seats", "sso"], all.Keys.Order());
        Assert.True(all["api-calls"].GetProperty("value").GetBoolean());
        Assert.True(all["seats"].GetProperty("value").GetBoolean());
        Assert.True(all["ai-credits"].GetProperty("value").GetBoolean(), "the demo's Pro plan grants 1,000 AI credits a month");
        Assert.Equal(1000, all["ai-credits"].GetProperty("entitlement").GetProperty("creditRemaining").GetDouble());
        Assert.False(all["sso"].GetProperty("value").GetBoolean());
        Assert.Equal("No rules matched; default value for flag", all["sso"].GetProperty("reason").GetString());
        Assert.Equal(100_000, all["api-calls"].GetProperty("featureAllocation").GetInt64());

        var some = Run.Value("checkFlags acme keys").EnumerateArray().ToList();
        Assert.Equal(["api-calls", "sso", "does-not-exist"], some.Select(f => f.GetProperty("flag").GetString()));
        Assert.Equal([true, false, false], some.Select(f => f.GetProperty("value").GetBoolean()));
        Assert.Equal("Flag not found - using default value", some[2].GetProperty("reason").GetString());

        // The keys are never sent: both calls are one POST /flags/check with the context only (spec §3.4).
        Assert.Equal(2, Run.Requests.Count(r => r is { Method: "POST", Path: "/flags/check", Status: "200" }));
    }

    [Fact]
    public void CheckFlagsBulkAnswersEachContextInSchematicsShape()
    {
        // CheckFlagsBulkResponseData is {data: [CheckFlagsResponseData]}, so the body is {"data":{"data":[{"flags":[…]}]}}.
        var contexts = Run.Value("features.checkFlagsBulk").GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, contexts.Count);
        bool Sso(JsonElement context) => context.GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("flag").GetString() == "sso").GetProperty("value").GetBoolean();
        Assert.False(Sso(contexts[0]), "globex (Free) has no sso");
        Assert.True(Sso(contexts[1]), "initech (Enterprise) has sso");
    }

    [Fact]
    public async Task CatalogCallsReturnTheDemoPlansFeaturesAndFlags()
    {
        Assert.Equal(["Free", "Pro", "Enterprise"], Run.Value("plans.listPlans").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("Pro", Run.Value("plans.getPlan").GetProperty("name").GetString());
        Assert.Equal(3, Run.Value("plans.countPlans").GetProperty("count").GetInt64());

        Assert.Equal(["API calls", "Seats", "SSO", "AI credits"], Run.Value("features.listFeatures").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var feature = Run.Value("features.getFeature");
        Assert.Equal(("API calls", "event", "api_call"), (feature.GetProperty("name").GetString(), feature.GetProperty("featureType").GetString(), feature.GetProperty("eventSubtype").GetString()));
        Assert.True(feature.GetProperty("createdAtIsDate").GetBoolean(), "the SDK parses created_at into a Date only when it is ISO 8601");
        Assert.Equal(4, Run.Value("features.countFeatures").GetProperty("count").GetInt64());

        // Lists are oldest first, records made in the same millisecond in the order they were made (the demo data set).
        Assert.Equal(["api-calls", "seats", "sso", "ai-credits"], Run.Value("features.listFlags").EnumerateArray().Select(f => f.GetProperty("key").GetString()));
        var flag = Run.Value("features.getFlag");
        Assert.Equal(("sso", false), (flag.GetProperty("key").GetString(), flag.GetProperty("defaultValue").GetBoolean()));

        var enterprise = await fixture.IdOfAsync("plans", "name", "Enterprise");
        var entitlements = Run.Value("entitlements.listPlanEntitlements").EnumerateArray().ToList();
        Assert.Equal(4, entitlements.Count);
        Assert.All(entitlements, e => Assert.Equal(enterprise, e.GetProperty("planId").GetString()));
        Assert.Equal(["unlimited", "unlimited", "boolean", "credit"], entitlements.Select(e => e.GetProperty("valueType").GetString()));
    }

    [Fact]
    public async Task CompanyAndUserWritesThroughTheSdkReachTheServer()
    {
        var upserted = Run.Value("companies.upsertCompany");
        Assert.Equal("SDK Co", upserted.GetProperty("name").GetString());
        var companyId = upserted.GetProperty("id").GetString()!;
        var key = Assert.Single(upserted.GetProperty("keys").EnumerateArray());
        Assert.Equal(("id", "sdk-co", companyId, "company"), (key.GetProperty("key").GetString(), key.GetProperty("value").GetString(), key.GetProperty("entityId").GetString(), key.GetProperty("entityType").GetString()));
        Assert.Equal(4, upserted.GetProperty("traits").GetProperty("seats").GetInt32());
        Assert.Equal("4", Assert.Single(upserted.GetProperty("entityTraits").EnumerateArray()).GetProperty("value").GetString());
        Assert.True(upserted.GetProperty("createdAtIsDate").GetBoolean());
        Assert.Equal(companyId, Run.Value("plans.updateCompanyPlans").GetProperty("id").GetString());
        var read = Run.Value("companies.getCompany");
        Assert.Equal(companyId, read.GetProperty("id").GetString());
        Assert.Equal("Pro", read.GetProperty("plan").GetProperty("name").GetString());
        Assert.Equal(1, read.GetProperty("userCount").GetInt32());
        Assert.Equal(5, Run.Value("companies.upsertCompanyTrait").GetProperty("traits").GetProperty("seats").GetInt32());
        Assert.Contains(Run.Value("companies.listCompanies").EnumerateArray(), c => c.GetProperty("id").GetString() == companyId);
        Assert.Equal(4, Run.Value("companies.countCompanies").GetProperty("count").GetInt64());

        // The server, asked directly, holds what the SDK wrote: the company on Pro with 5 seats, and its user.
        var stored = await fixture.GetDataAsync("companies/lookup?keys[id]=sdk-co");
        Assert.Equal(companyId, stored.GetProperty("id").GetString());
        Assert.Equal("SDK Co", stored.GetProperty("name").GetString());
        Assert.Equal(await fixture.IdOfAsync("plans", "name", "Pro"), stored.GetProperty("base_plan_id").GetString());
        Assert.Equal(5, stored.GetProperty("traits").GetProperty("seats").GetInt32());

        var user = Run.Value("companies.upsertUser");
        Assert.Equal("Dev", user.GetProperty("name").GetString());
        Assert.Equal("dev@sdk-co.test", Assert.Single(user.GetProperty("keys").EnumerateArray()).GetProperty("value").GetString());
        Assert.Equal(companyId, Assert.Single(user.GetProperty("companyMemberships").EnumerateArray()).GetProperty("companyId").GetString());
        Assert.Equal("Dev", Run.Value("companies.getUser").GetProperty("name").GetString());
        Assert.Contains(Run.Value("companies.listUsers").EnumerateArray(), u => u.GetProperty("id").GetString() == user.GetProperty("id").GetString());
        var storedUser = await fixture.GetDataAsync($"users/{user.GetProperty("id").GetString()}");
        Assert.Equal([companyId], storedUser.GetProperty("company_ids").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("admin", storedUser.GetProperty("traits").GetProperty("role").GetString());
    }

    [Fact]
    public async Task UpdateCompanyPlansSendsTollgatesCompanyPlansBody()
    {
        // plans.updateCompanyPlans is the SDK's call for PUT /company-plans/{company_id}, with the same snake_case body.
        var company = Run.Value("companies.upsertCompany").GetProperty("id").GetString();
        var sent = Assert.Single(Run.Requests, r => r.Method == "PUT" && r.Path == $"/company-plans/{company}");
        Assert.Equal($$"""{"base_plan_id":"{{await fixture.IdOfAsync("plans", "name", "Pro")}}","add_on_ids":[]}""", sent.Body);
        Assert.Equal("200", sent.Status);
    }

    [Fact]
    public async Task APlanAndFeatureCreatedThroughTheSdkDecideTheNextChecks()
    {
        var feature = Run.Value("features.createFeature");
        Assert.Equal(("Exports", "boolean"), (feature.GetProperty("name").GetString(), feature.GetProperty("featureType").GetString()));
        Assert.Equal("CSV exports", Run.Value("features.updateFeature").GetProperty("name").GetString());
        var plan = Run.Value("plans.createPlan");
        Assert.Equal(("Team", "plan"), (plan.GetProperty("name").GetString(), plan.GetProperty("planType").GetString()));
        Assert.Equal("For small teams, billed yearly", Run.Value("plans.updatePlan").GetProperty("description").GetString());
        var grant = Run.Value("entitlements.createPlanEntitlement");
        Assert.Equal((plan.GetProperty("id").GetString(), feature.GetProperty("id").GetString()), (grant.GetProperty("planId").GetString(), grant.GetProperty("featureId").GetString()));

        Assert.Equal("Team Co", Run.Value("companies.upsertCompany with basePlanId").GetProperty("name").GetString());
        Assert.True(Run.Value("checkFlag team-co exports").GetBoolean(), "team-co is on Team, which grants exports");
        Assert.False(Run.Value("checkFlag acme exports").GetBoolean(), "acme's Pro plan does not grant exports");
        Assert.True(Run.Value("entitlements.deletePlanEntitlement").GetProperty("deleted").GetBoolean());
        Assert.False(Run.Value("checkFlag team-co exports after entitlement deleted").GetBoolean());
        Assert.True(Run.Value("companies.deleteCompany").GetProperty("deleted").GetBoolean());

        // What the server holds afterwards: the feature's flag, the plan, and no team-co.
        Assert.Contains((await fixture.GetDataAsync("flags")).EnumerateArray(), f => f.GetProperty("key").GetString() == "exports");
        Assert.Equal("For small teams, billed yearly", (await fixture.GetDataAsync($"plans/{plan.GetProperty("id").GetString()}")).GetProperty("description").GetString());
        using var gone = await fixture.Server.Http.GetAsync(new Uri("companies/lookup?keys[id]=team-co", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task APlanVersionPublishedThroughTheSdkMovesItsCompanyAndADraftIsDeletedThroughIt()
    {
        var team = Run.Value("plans.createPlan").GetProperty("id").GetString()!;
        var draft = Run.Value("http: draft of Team with exports").GetProperty("id").GetString()!;
        var published = Run.Value("plans.publishPlanVersion");
        Assert.Equal((draft, "Team", "plan", 2, "published"), (
            published.GetProperty("id").GetString(), published.GetProperty("name").GetString(), published.GetProperty("planType").GetString(),
            published.GetProperty("version").GetInt32(), published.GetProperty("status").GetString()));

        // The SDK's publishPlanVersion is PUT /plans/version/{id}/publish with Schematic's snake_case body.
        var sent = Assert.Single(Run.Requests, r => r.Method == "PUT" && r.Path == $"/plans/version/{draft}/publish");
        Assert.Equal("200", sent.Status);
        using (var body = JsonDocument.Parse(sent.Body!))
        {
            Assert.Equal("immediate", body.RootElement.GetProperty("migration_strategy").GetString());
            Assert.Equal(0, body.RootElement.GetProperty("excluded_company_ids").GetArrayLength());
        }

        Assert.False(Run.Value("checkFlag version-co exports before publish").GetBoolean(), "a draft grants nothing");
        var after = Run.Value("checkFlagWithEntitlement version-co exports after publish");
        Assert.True(after.GetProperty("value").GetBoolean(), "publishing with immediate moved version-co to Team v2");
        Assert.Equal("Team v2", MatchedPlanRule().Match(after.GetProperty("reason").GetString()!).Groups["plan"].Value);

        var discarded = Run.Value("http: another draft of Team").GetProperty("id").GetString();
        Assert.True(Run.Value("plans.deletePlanVersion").GetProperty("deleted").GetBoolean());
        Assert.Contains(new SdkRequest("DELETE", $"/plans/version/{discarded}", "200"), Run.Requests);
        Assert.Equal(
            ["archived", "published"],
            (await fixture.GetDataAsync($"plans/{team}/versions")).EnumerateArray().Select(v => v.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task LookupCompanyFindsAcmeByTheKeysTheSdkSendsAsJson()
    {
        // The Node SDK 1.6.2 sends lookupCompany's keys as one JSON-encoded parameter, not as keys[id]=acme.
        Assert.Contains(new SdkRequest("GET", "/companies/lookup?keys=%7B%22id%22%3A%22acme%22%7D", "200"), Run.Requests);

        var lookup = Run.Value("companies.lookupCompany");
        Assert.Equal(await fixture.CompanyIdAsync("acme"), lookup.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("Acme Inc", lookup.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("""{"id":"acme"}""", lookup.GetProperty("params").GetProperty("keys").GetRawText());
    }

    [Fact]
    public async Task ACompanyOverrideMadeThroughTheSdkTurnsAFeatureOnUntilItIsDeleted()
    {
        var created = Run.Value("entitlements.createCompanyOverride");
        Assert.Equal(await fixture.CompanyIdAsync("globex"), created.GetProperty("companyId").GetString());
        Assert.Equal(await fixture.IdOfAsync("features", "name", "SSO"), created.GetProperty("featureId").GetString());
        Assert.Equal(("boolean", true), (created.GetProperty("valueType").GetString(), created.GetProperty("valueBool").GetBoolean()));

        Assert.True(Run.Value("checkFlag globex sso with override").GetBoolean());
        Assert.Contains(Run.Value("entitlements.listCompanyOverrides").EnumerateArray(), o => o.GetProperty("id").GetString() == created.GetProperty("id").GetString());
        Assert.True(Run.Value("entitlements.deleteCompanyOverride").GetProperty("deleted").GetBoolean());
        Assert.False(Run.Value("checkFlag globex sso after override deleted").GetBoolean());
        Assert.Empty((await fixture.GetDataAsync("company-overrides")).EnumerateArray());
    }

    [Fact]
    public void EveryRequestWentToTollgatesRoutesAndNoneWasRejected()
    {
        // 404 is expected only for the unknown flag; nothing else may fail.
        var unexpected = Run.Requests
            .Where(r => r.Status is not ("200" or "201"))
            .Where(r => !(r.Status == "404" && r.Path == "/flags/does-not-exist/check"))
            .ToList();
        Assert.True(unexpected.Count == 0, "Requests Tollgate did not serve:\n" + string.Join('\n', unexpected));

        var company = Run.Value("companies.upsertCompany").GetProperty("id").GetString();
        Assert.Contains(new SdkRequest("PUT", $"/company-plans/{company}", "200"), Run.Requests);
        Assert.Contains(new SdkRequest("POST", "/company-overrides", "201"), Run.Requests);
        Assert.Contains(new SdkRequest("POST", "/flags/check-bulk", "200"), Run.Requests);
    }

    [Fact]
    public void TrackAndIdentifyThroughTheSdkChangeTheChecksASecondLater()
    {
        Assert.True(Run.Succeeded("identify"));
        Assert.True(Run.Succeeded("track"));
        var afterTrack = Run.Value("checkFlagWithEntitlement sdk-co api-calls after track");
        Assert.True(afterTrack.GetProperty("value").GetBoolean());
        Assert.Equal(3, afterTrack.GetProperty("entitlement").GetProperty("usage").GetInt64());
        Assert.Equal("Track Co", Run.Value("companies.lookupCompany identified").GetProperty("name").GetString());
        Assert.Equal("Eve", Run.Value("companies.lookupUser identified").GetProperty("name").GetString());
        Assert.False(Run.Value("checkFlag sdk-co api-calls after the limit").GetBoolean(), "3 + 99,997 api_call events reach Pro's 100,000");
    }

    [Fact]
    public void EveryEventBatchTheSdkSentWasAcceptedWholeAndCloseStillExits()
    {
        Assert.True(Run.Succeeded("close"));
        var batches = Run.Requests.Where(r => r.Path == "/batch").ToList();
        Assert.NotEmpty(batches);
        Assert.All(batches, r => Assert.Equal(("POST", "200"), (r.Method, r.Status)));
        foreach (var body in batches.Select(r => JsonDocument.Parse(r.Body!).RootElement))
        {
            Assert.All(body.GetProperty("events").EnumerateArray(), e => Assert.Equal(LoopbackServer.ApiKey, e.GetProperty("api_key").GetString()));
        }
    }

    [Fact]
    public async Task SchematicsListFiltersAndTraitDefinitionsWorkThroughTheSdk()
    {
        var pro = await fixture.IdOfAsync("plans", "name", "Pro");
        var sdkCo = await fixture.CompanyIdAsync("sdk-co");
        var onPro = Run.Value("companies.listCompanies planId");
        Assert.Equal([await fixture.CompanyIdAsync("acme"), sdkCo], onPro.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(pro, onPro.GetProperty("params").GetProperty("planId").GetString());
        Assert.Equal(3, Run.Value("companies.countCompanies planIds").GetProperty("count").GetInt64());
        Assert.Equal([sdkCo], Run.Value("companies.listCompanies ids").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(0, Run.Value("companies.countCompanies withoutPlan").GetProperty("count").GetInt64());
        Assert.Equal(["Dev"], Run.Value("companies.listUsers companyId").EnumerateArray().Select(u => u.GetProperty("name").GetString()));
        var apiCalls = Assert.Single(Run.Value("entitlements.listPlanEntitlements featureId").EnumerateArray());
        Assert.Equal(pro, apiCalls.GetProperty("planId").GetString());
        Assert.Contains(Run.Requests, r => r.Method == "GET" && r.Path == $"/companies?ids={sdkCo}&ids=comp_none" && r.Status == "200");
        Assert.Contains(Run.Requests, r => r.Method == "GET" && r.Path == "/companies/count?without_plan=true" && r.Status == "200");

        var region = Run.Value("companies.getOrCreateEntityTraitDefinition");
        Assert.Equal(("Region", "string", "company"), (region.GetProperty("displayName").GetString(), region.GetProperty("traitType").GetString(), region.GetProperty("entityType").GetString()));
        Assert.Equal(["region"], region.GetProperty("hierarchy").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(region.GetProperty("id").GetString(), Run.Value("companies.getEntityTraitDefinition").GetProperty("id").GetString());
        Assert.Contains(Run.Value("companies.listEntityTraitDefinitions").EnumerateArray(), t => t.GetProperty("id").GetString() == region.GetProperty("id").GetString());
        Assert.All(Run.Value("companies.listEntityTraitDefinitions").EnumerateArray(), t => Assert.Equal("company", t.GetProperty("entityType").GetString()));
    }

    [Fact]
    public void TheSdkFoundNothingToComplainAboutInAnyAnswer()
    {
        // Fern validates every response and console.warn()s each field that does not fit Schematic's schema (a string or
        // list sent as null, a wrong type): every step, management ones included, must pass it.
        Assert.True(Run.Console.Count == 0, "The SDK warned:\n" + string.Join('\n', Run.Console));

        // Errors through the SDK's logger: only the unknown flag's 404s.
        var errors = Run.Logs.Where(l => l.Level == "error")
            .Where(l => !l.Message.StartsWith("Error checking flag does-not-exist: NotFoundError", StringComparison.Ordinal))
            .ToList();
        Assert.True(errors.Count == 0, "The SDK logged errors:\n" + string.Join('\n', errors));
    }

    [GeneratedRegex("""^(?<prefix>Matched plan entitlement rule "(?<plan>[^"]+)") \((?<rule>[^)]+)\)$""")]
    private static partial Regex MatchedPlanRule();
}
