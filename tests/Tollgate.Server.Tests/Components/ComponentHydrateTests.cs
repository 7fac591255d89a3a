using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Demo;
using Tollgate.Server.Environments;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Components;

/// <summary>
/// What Schematic's components read (issue 13): a token's hydrate is its own company's (plan, usage against allocation,
/// the plan group's plans with entitlements), whatever the request names; the editor previews any company with a secret
/// key; the pricing table reads the group's plans with a publishable key, which can change nothing.
/// </summary>
public abstract class ComponentHydrateTests(TollgateFactory server)
{
    [Fact]
    public async Task ATokensHydrateIsItsCompanysPlanUsageAndPlanGroupAndCannotBePointedElsewhere()
    {
        var (api, plans) = await DemoWithPlanGroupAsync();
        var token = (await api.PostAsync("/temporary-access-tokens", new { resource_type = "company", lookup = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("token").GetString();
        var browser = server.Api(token);

        // The query names another company: the token's company is answered all the same.
        var hydrate = (await browser.GetAsync("/components/hydrate?company_id=globex")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("Acme Inc", hydrate.GetProperty("company").GetProperty("name").GetString());
        Assert.Equal(["Free", "Pro", "Enterprise"], hydrate.GetProperty("active_plans").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(["Pro"], hydrate.GetProperty("active_plans").EnumerateArray().Where(p => p.GetProperty("current").GetBoolean()).Select(p => p.GetProperty("name").GetString()));
        var pro = hydrate.GetProperty("active_plans")[1];
        Assert.Contains(pro.GetProperty("entitlements").EnumerateArray(), e => e.GetProperty("feature_id").GetString() == plans["api-calls"] && e.GetProperty("value_numeric").GetInt64() == 100_000);
        Assert.True(pro.GetProperty("company_can_trial").GetBoolean());
        Assert.Equal(14, pro.GetProperty("trial_days").GetInt32());
        Assert.True(hydrate.GetProperty("show_period_toggle").GetBoolean());
        Assert.True(hydrate.GetProperty("display_settings").GetProperty("show_period_toggle").GetBoolean());
        Assert.True(hydrate.GetProperty("checkout_settings").GetProperty("collect_email").GetBoolean());
        Assert.Equal("Free", hydrate.GetProperty("default_plan").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, hydrate.GetProperty("component").ValueKind);
        Assert.False(hydrate.GetProperty("capabilities").GetProperty("checkout").GetBoolean());
        var apiCalls = ApiCalls(hydrate);
        Assert.Equal(100_000, apiCalls.GetProperty("allocation").GetInt64());
        // Tollgate keeps no feature icons; the components lay features out around one, so they get one by feature type.
        Assert.Equal("signal", apiCalls.GetProperty("feature").GetProperty("icon").GetString());
        Assert.Equal("boolean-on", hydrate.GetProperty("active_plans")[2].GetProperty("entitlements").EnumerateArray()
            .Single(e => e.GetProperty("feature_id").GetString() == plans["sso"]).GetProperty("feature").GetProperty("icon").GetString());
        Assert.Equal("current_month", apiCalls.GetProperty("period").GetString());

        await Events.SendAsync(api, Events.Track("api_call", "acme", quantity: 7));
        var used = await Events.EventuallyAsync(
            async () => (await browser.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data,
            h => ApiCalls(h).GetProperty("usage").GetInt64() == 7);
        Assert.Equal(100_000, ApiCalls(used).GetProperty("allocation").GetInt64());

        // A stored layout hydrates with the token's company; the editor previews any company with the secret key.
        var component = (await api.PostAsync("/components", new { name = "Portal", entity_type = "billing", ast = new Dictionary<string, double> { ["0"] = 1 } })).ShouldBe(HttpStatusCode.OK).Id;
        var withLayout = (await browser.GetAsync($"/components/{component}/hydrate")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("Portal", withLayout.GetProperty("component").GetProperty("name").GetString());
        Assert.Equal("Acme Inc", withLayout.GetProperty("company").GetProperty("name").GetString());
        (await browser.GetAsync("/components/cmpn_missing/hydrate")).ShouldFail(HttpStatusCode.NotFound, "component");
        var globex = (await api.GetAsync("/companies/lookup?keys[id]=globex")).ShouldBe(HttpStatusCode.OK).Id;
        var preview = (await api.GetAsync($"/components/preview-data?company_id={globex}&component_id={component}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("Globex", preview.GetProperty("company").GetProperty("name").GetString());
        Assert.Equal(["Free"], preview.GetProperty("active_plans").EnumerateArray().Where(p => p.GetProperty("current").GetBoolean()).Select(p => p.GetProperty("name").GetString()));

        // The token reads nothing else: not the preview, not the components, not the management API; a secret key
        // cannot hydrate as a company it does not name.
        (await browser.GetAsync($"/components/preview-data?company_id={globex}")).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");
        (await browser.GetAsync("/components")).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");
        (await browser.GetAsync($"/companies/{globex}")).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");
        (await api.GetAsync("/components/hydrate")).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");

        // Another environment's token does not see this environment's layouts.
        var other = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(other, "acme");
        var stranger = server.Api((await other.PostAsync("/temporary-access-tokens", new { lookup = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("token").GetString());
        (await stranger.GetAsync($"/components/{component}/hydrate")).ShouldFail(HttpStatusCode.NotFound, "component");

        // The portal's plan card draws company.plan.plan_price per plan_period: none while Pro has no price; once a
        // billing system other than Stripe pushes Pro's prices (no subscription bills Acme), Pro's listed monthly price.
        Assert.Equal(JsonValueKind.Null, hydrate.GetProperty("company").GetProperty("plan").GetProperty("plan_price").ValueKind);
        await PushPricesAsync(api, "Pro", 4900);
        var card = (await browser.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("company").GetProperty("plan");
        Assert.Equal(("Pro", 4900L, "month"), (card.GetProperty("name").GetString(), card.GetProperty("plan_price").GetInt64(), card.GetProperty("plan_period").GetString()));

        server.Time.Advance(TimeSpan.FromMinutes(16));
        (await browser.GetAsync("/components/hydrate")).ShouldFail(HttpStatusCode.Unauthorized, "expired");
    }

    [Fact]
    public async Task APublishableKeyReadsThePricingTableButCannotStoreComponentsWhichASecretKeyManages()
    {
        var (api, plans) = await DemoWithPlanGroupAsync();
        var publishable = server.Api((await api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString());

        var table = (await publishable.GetAsync("/public/plans")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(["Free", "Pro", "Enterprise"], table.GetProperty("active_plans").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Empty(table.GetProperty("active_add_ons").EnumerateArray());
        var enterprise = table.GetProperty("active_plans")[2];
        Assert.Contains(enterprise.GetProperty("entitlements").EnumerateArray(), e => e.GetProperty("feature_id").GetString() == plans["sso"] && e.GetProperty("value_bool").GetBoolean());
        Assert.True(table.GetProperty("show_period_toggle").GetBoolean());
        Assert.False(enterprise.TryGetProperty("current", out _));
        (await publishable.PostAsync("/components", new { name = "Pricing", entity_type = "billing" })).ShouldFail(HttpStatusCode.Forbidden, "publishable");
        (await publishable.GetAsync("/components")).ShouldFail(HttpStatusCode.Forbidden, "publishable");

        (await api.PostAsync("/components", new { entity_type = "billing" })).ShouldFail(HttpStatusCode.BadRequest, "name");
        (await api.PostAsync("/components", new { name = "Pricing", entity_type = "page" })).ShouldFail(HttpStatusCode.BadRequest, "entity_type");
        var pricing = (await api.PostAsync("/components", new { name = "Pricing", entity_type = "billing" })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("draft", pricing.GetProperty("state").GetString());
        var id = pricing.GetProperty("id").GetString();
        await api.PostAsync("/components", new { name = "Meter", entity_type = "entitlement" });
        var live = (await api.PutAsync($"/components/{id}", new { state = "live", ast = new Dictionary<string, double> { ["1"] = 2 } })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("live", live.GetProperty("state").GetString());
        Assert.Equal("Pricing", live.GetProperty("name").GetString());
        Assert.Equal(2, live.GetProperty("ast").GetProperty("1").GetDouble());
        (await api.PutAsync($"/components/{id}", new { state = "gone" })).ShouldFail(HttpStatusCode.BadRequest, "state");

        Assert.Equal(["Pricing"], (await api.GetAsync("/components?q=pric")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(2, (await api.GetAsync("/components/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        (await api.PutAsync($"/components/{id}/catalog", new { catalog_id = "ctlg_missing" })).ShouldFail(HttpStatusCode.NotFound, "catalog");
        var catalog = (await api.PostAsync("/catalogs", new { name = "Main" })).Id;
        Assert.Equal(catalog, (await api.PutAsync($"/components/{id}/catalog", new { catalog_id = catalog })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("catalog_id").GetString());
        Assert.Equal(catalog, (await api.GetAsync($"/components/{id}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("catalog_id").GetString());

        Assert.True((await api.DeleteAsync($"/components/{id}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("deleted").GetBoolean());
        (await api.GetAsync($"/components/{id}")).ShouldFail(HttpStatusCode.NotFound, "component");
        (await api.DeleteAsync($"/components/{id}")).ShouldFail(HttpStatusCode.NotFound, "component");
        Assert.Contains((await api.GetAsync("/audit-log")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray(), e => e.GetProperty("resource_type").GetString() == "component");
    }

    private static JsonElement ApiCalls(JsonElement hydrate) =>
        hydrate.GetProperty("feature_usage").GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature").GetProperty("name").GetString() == "API calls");

    /// <summary>A product for the plan named <paramref name="plan"/> (linked by its name) with a monthly and a yearly price, pushed as a billing system other than Stripe pushes them.</summary>
    private static async Task PushPricesAsync(ApiClient api, string plan, long monthly)
    {
        var product = $"pushed_{plan.ToLowerInvariant()}";
        (await api.PostAsync("/billing/product/upsert", new { external_id = product, name = plan, price = monthly / 100m, is_active = true, provider_type = "schematic" })).ShouldBe(HttpStatusCode.OK);
        foreach (var (interval, amount) in new[] { ("year", monthly * 10), ("month", monthly) })
        {
            (await api.PostAsync("/billing/price/upsert", new
            {
                price_external_id = $"{product}_{interval}", product_external_id = product, currency = "usd", interval, usage_type = "licensed", billing_scheme = "per_unit",
                price = amount, price_tiers = Array.Empty<object>(), is_active = true,
            })).ShouldBe(HttpStatusCode.OK);
        }
    }

    /// <summary>The demo data in an environment of its own, with a plan group offering Free, Pro and Enterprise.</summary>
    private async Task<(ApiClient Api, Dictionary<string, string> Ids)> DemoWithPlanGroupAsync()
    {
        var api = await server.NewEnvironmentAsync();
        await server.Services.GetRequiredService<DemoData>().LoadAsync(new RequestScope(api.EnvironmentId!, api.KeyId, ApiKeyKind.Secret), CancellationToken.None);
        var plans = (await api.GetAsync("/plans")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("id").GetString()!);
        var features = (await api.GetAsync("/features")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .ToDictionary(f => f.GetProperty("flags")[0].GetProperty("key").GetString()!, f => f.GetProperty("id").GetString()!);
        (await api.PostAsync("/plan-groups", new
        {
            ordered_plans = new[] { "Free", "Pro", "Enterprise" }.Select(n => new { plan_id = plans[n], entitlements = Array.Empty<object>() }),
            initial_plan_id = plans["Free"],
            trial_days = 14,
            show_period_toggle = true,
            checkout_collect_email = true,
        })).ShouldBe(HttpStatusCode.Created);
        return (api, features);
    }
}

public sealed class ComponentHydrateTestsOnSqlite(SqliteServer server) : ComponentHydrateTests(server), IClassFixture<SqliteServer>;

public sealed class ComponentHydrateTestsOnPostgres(PostgresServer server) : ComponentHydrateTests(server), IClassFixture<PostgresServer>;
