using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Gallery;

/// <summary>
/// Data for every kind of console page to show something real, made through the API in an environment of its own: the
/// pricing scenario, a company on Pro with usage near its limit, an override with a note, a credit grant, a published
/// Starter version whose migration moved a company, a draft Pro version with a changed limit, a flag rule and a
/// pending invitation. <see cref="Fillers"/> maps each route parameter (by the segment before it) to one of those ids.
/// </summary>
public sealed record GallerySeed(
    PricingScenario Scenario,
    IReadOnlyDictionary<string, string> Fillers,
    IReadOnlyDictionary<string, string> Queries)
{
    /// <summary>The company every company page shows.</summary>
    public const string CompanyKey = "gallery-co";

    /// <summary>Builds the data on <paramref name="server"/>.</summary>
    public static async Task<GallerySeed> CreateAsync(ConsoleServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var s = await PricingScenario.CreateAsync(server);
        var api = s.Api;

        // An outgoing webhook whose endpoint refuses connections: the companies below leave failed deliveries on its page.
        (await api.PostAsync("/webhooks", new { name = "CRM sync", url = "http://127.0.0.1:9/hooks/tollgate", requestTypes = new[] { "company.created", "company.override.created" } }))
            .ShouldBe(HttpStatusCode.OK);
        var company = await s.CompanyAsync(CompanyKey, s.Pro, seats: 7);
        await s.CompanyAsync("starter-co", s.Starter, seats: 2);
        await s.CompanyAsync("enterprise-co", s.Enterprise, seats: 40, seatLimit: 100);

        // Usage past Pro's soft limit (800 of 1,000 API calls), an override with a note, and credits.
        await Events.SendAsync(api, Events.Track("api_call", CompanyKey, quantity: 850, sentAt: server.Time.GetUtcNow()));
        await Given.OverrideAsync(api, new { companyId = company, featureId = s.Seats, valueType = "numeric", valueNumeric = 25, note = "Pilot deal: 25 seats until renewal" });
        var credit = (await api.PostAsync("/billing/credits", new { name = "AI credits", description = "Generations", currency = "usd" })).ShouldBe(HttpStatusCode.Created).Id;
        (await api.PostAsync("/billing/credits/grants/company", new { companyId = company, creditId = credit, quantity = 500, reason = "purchased" })).ShouldBe(HttpStatusCode.Created);

        // A published Starter version that moved starter-co (a migration), then a Pro draft with a higher limit (a diff).
        var starterDraft = await DraftWithApiCallsAsync(api, s.Starter, s.ApiCalls, 200);
        (await api.PutAsync($"/plans/version/{starterDraft}/publish", new { migrationStrategy = "immediate" })).ShouldBe(HttpStatusCode.OK);
        var migration = (await api.GetAsync($"/plan-version-migrations?plan_version_id={starterDraft}")).ShouldBe(HttpStatusCode.OK)
            .Data.EnumerateArray().Single().GetProperty("id").GetString()!;
        var published = (await api.GetAsync($"/plans/{s.Pro}/versions")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(v => v.GetProperty("status").GetString() == "published").GetProperty("id").GetString()!;
        var draft = await DraftWithApiCallsAsync(api, s.Pro, s.ApiCalls, 2000);

        // A rule on the beta flag.
        var beta = (await api.GetAsync("/flags")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(f => f.GetProperty("key").GetString() == "beta").GetProperty("id").GetString()!;
        (await api.PutAsync($"/flags/{beta}/rules", new { rules = new object[] { new { name = "Beta off for Starter", ruleType = "standard", priority = 1, value = false } } }))
            .ShouldBe(HttpStatusCode.OK);
        var rule = (await api.GetAsync($"/flags/{beta}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("rules").EnumerateArray().First().GetProperty("id").GetString()!;

        var owner = await ConsoleUsers.OwnerAsync(server);
        var (_, token) = await server.Services.GetRequiredService<ConsoleAccounts>()
            .InviteAsync(owner, $"invited-{Guid.NewGuid():N}@tollgate.test", "support", CancellationToken.None);

        var fillers = new Dictionary<string, string>
        {
            [GalleryRoutes.FillerKey("companies", "id")] = company,
            [GalleryRoutes.FillerKey("features", "id")] = s.ApiCalls,
            [GalleryRoutes.FillerKey("flags", "flagId")] = beta,
            [GalleryRoutes.FillerKey("rules", "ruleId")] = rule,
            [GalleryRoutes.FillerKey("plans", "id")] = s.Pro,
            [GalleryRoutes.FillerKey("features", "featureId")] = s.ApiCalls,
            [GalleryRoutes.FillerKey("versions", "versionId")] = draft,
            [GalleryRoutes.FillerKey("migrations", "id")] = migration,
        };
        var queries = new Dictionary<string, string>
        {
            ["/console/check"] = $"?flag=api-calls&company={CompanyKey}",
            ["/console/check/all"] = $"?companyId={company}",
            ["/console/plans/{id}/versions/diff"] = $"?from={published}&to={draft}",
            ["/console/invitation"] = $"?token={Uri.EscapeDataString(token)}",
        };
        return new GallerySeed(s, fillers, queries);
    }

    private static async Task<string> DraftWithApiCallsAsync(ApiClient api, string plan, string feature, long limit)
    {
        var draft = (await api.PostAsync($"/plans/{plan}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        var calls = (await api.GetAsync($"/plan-entitlements?plan_id={plan}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(e => e.GetProperty("plan_version_id").GetString() == draft && e.GetProperty("feature_id").GetString() == feature);
        (await api.PutAsync($"/plan-entitlements/{calls.GetProperty("id").GetString()}", new { valueType = "numeric", valueNumeric = limit, metricPeriod = "current_month" }))
            .ShouldBe(HttpStatusCode.OK);
        return draft;
    }
}
