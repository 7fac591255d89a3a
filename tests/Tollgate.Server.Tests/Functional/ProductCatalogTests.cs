using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Catalogs: CRUD, one default, plans and credit bundles in them, configuration, and the features derived from the plans.</summary>
public abstract class ProductCatalogTests(TollgateFactory server)
{
    [Fact]
    public async Task ACatalogIsCreatedReadListedUpdatedAndDeletedWithOneDefaultAtATime()
    {
        var api = await server.NewEnvironmentAsync();
        var first = (await api.PostAsync("/catalogs", new { name = "Self-serve", description = "Public pricing", isDefault = true })).ShouldBe(HttpStatusCode.Created).Data;
        var firstId = first.GetProperty("id").GetString()!;
        var secondId = (await api.PostAsync("/catalogs", new { name = "Sales" })).ShouldBe(HttpStatusCode.Created).Id;

        (await api.PutAsync($"/catalogs/{secondId}", new { isDefault = true, name = "Sales-led" })).ShouldBe(HttpStatusCode.OK);
        var defaults = (await api.GetAsync("/catalogs?is_default=true")).ShouldBe(HttpStatusCode.OK).Data;
        var byName = (await api.GetAsync("/catalogs?q=self")).ShouldBe(HttpStatusCode.OK).Data;
        var read = (await api.GetAsync($"/catalogs/{firstId}")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.StartsWith("ctlg_", firstId, StringComparison.Ordinal);
        Assert.Equal(api.EnvironmentId, first.GetProperty("account_id").GetString());
        Assert.True(first.GetProperty("is_default").GetBoolean());
        Assert.False(read.GetProperty("is_default").GetBoolean());
        Assert.Equal("Sales-led", Assert.Single(defaults.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(firstId, Assert.Single(byName.EnumerateArray()).GetProperty("id").GetString());
        (await api.DeleteAsync($"/catalogs/{firstId}")).ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync($"/catalogs/{firstId}")).ShouldFail(HttpStatusCode.NotFound, "catalog");
        (await api.PostAsync("/catalogs", new { description = "no name" })).ShouldFail(HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task ACatalogsFeaturesAreThoseItsPlansEntitleAndItsConfigurationOrdersThem()
    {
        var api = await server.NewEnvironmentAsync();
        var sso = await Given.BooleanFeatureAsync(api, "sso");
        var calls = await Given.EventFeatureAsync(api, "api-calls", "api_call");
        var audit = await Given.BooleanFeatureAsync(api, "audit-export");
        var pro = await Given.PlanAsync(api, "Pro");
        var addOn = await Given.PlanAsync(api, "Audit pack", "add_on");
        var other = await Given.PlanAsync(api, "Enterprise");
        await Given.EntitlementAsync(api, new { planId = pro, featureId = sso, valueType = "boolean", valueBool = true });
        await Given.EntitlementAsync(api, new { planId = pro, featureId = calls, valueType = "numeric", valueNumeric = 100, metricPeriod = "current_month" });
        await Given.EntitlementAsync(api, new { planId = addOn, featureId = audit, valueType = "boolean", valueBool = true });
        await Given.EntitlementAsync(api, new { planId = other, featureId = audit, valueType = "boolean", valueBool = true });
        var credit = (await api.PostAsync("/billing/credits", new { name = "Tokens" })).ShouldBe(HttpStatusCode.Created).Id;
        var bundle = (await api.PostAsync("/billing/credits/bundles", new { bundleName = "Pack", creditId = credit, currency = "usd", pricePerUnit = 1, quantity = 10 }))
            .ShouldBe(HttpStatusCode.Created).Id;
        var catalog = (await api.PostAsync("/catalogs", new { name = "Main" })).ShouldBe(HttpStatusCode.Created).Id;

        (await api.PostAsync($"/catalogs/{catalog}/plans/{pro}", null)).ShouldBe(HttpStatusCode.OK);
        var plans = (await api.PostAsync($"/catalogs/{catalog}/plans/{addOn}", null)).ShouldBe(HttpStatusCode.OK).Data;
        var bundles = (await api.PostAsync($"/catalogs/{catalog}/credit-bundles/{bundle}", null)).ShouldBe(HttpStatusCode.OK).Data;
        var features = (await api.GetAsync($"/catalogs/{catalog}/features")).ShouldBe(HttpStatusCode.OK).Data;
        (await api.PutAsync($"/catalogs/{catalog}/configuration", new
        {
            orderedPlans = new[] { new { planId = pro, entitlements = new object[] { new { featureId = calls }, new { featureId = sso, visible = false } } } },
            orderedAddOns = new[] { new { planId = addOn } },
            orderedBundles = new[] { new { bundleId = bundle } },
            pricingUrl = "https://example.com/pricing",
            customPlansVisible = true,
        })).ShouldBe(HttpStatusCode.OK);
        var configuration = (await api.GetAsync($"/catalogs/{catalog}/configuration")).ShouldBe(HttpStatusCode.OK).Data;
        (await api.DeleteAsync($"/catalogs/{catalog}/plans/{addOn}")).ShouldBe(HttpStatusCode.OK);
        var without = (await api.GetAsync($"/catalogs/{catalog}/features")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal([pro, addOn], plans.GetProperty("plan_ids").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal([bundle], bundles.GetProperty("credit_bundle_ids").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["api-calls", "audit-export", "sso"], features.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(["api-calls", "sso"], without.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(pro, Assert.Single(configuration.GetProperty("plans").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(addOn, Assert.Single(configuration.GetProperty("add_ons").EnumerateArray()).GetProperty("id").GetString());
        var ordered = Assert.Single(configuration.GetProperty("ordered_plans").EnumerateArray());
        Assert.Equal([calls, sso], ordered.GetProperty("entitlements").EnumerateArray().Select(e => e.GetProperty("feature_id").GetString()));
        Assert.Equal([true, false], ordered.GetProperty("entitlements").EnumerateArray().Select(e => e.GetProperty("visible").GetBoolean()));
        Assert.Equal("https://example.com/pricing", configuration.GetProperty("pricing_url").GetString());
        Assert.True(configuration.GetProperty("custom_plans_visible").GetBoolean());
        (await api.PutAsync($"/catalogs/{catalog}/configuration", new { orderedPlans = new[] { new { planId = other } } })).ShouldFail(HttpStatusCode.BadRequest, "ordered_plans.plan_id");
        (await api.PostAsync($"/catalogs/{catalog}/plans/plan_nope", null)).ShouldFail(HttpStatusCode.NotFound, "plan");
        (await api.DeleteAsync($"/catalogs/{catalog}/credit-bundles/{bundle}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(0, (await api.GetAsync($"/catalogs/{catalog}/credit-bundles")).Data.GetProperty("credit_bundle_ids").GetArrayLength());
    }
}

public sealed class ProductCatalogTestsOnSqlite(SqliteServer server) : ProductCatalogTests(server), IClassFixture<SqliteServer>;

public sealed class ProductCatalogTestsOnPostgres(PostgresServer server) : ProductCatalogTests(server), IClassFixture<PostgresServer>;
