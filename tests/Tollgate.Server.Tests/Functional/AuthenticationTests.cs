using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Api;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>API keys: every request needs a valid, unrevoked key; publishable keys may only check flags.</summary>
public abstract class AuthenticationTests(TollgateFactory server)
{
    /// <summary>Every endpoint that needs a secret key: a publishable key must get 403 from each.</summary>
    public static readonly string[] ManagementEndpoints =
    [
        "GET /environment", "POST /environments", "GET /api-keys", "POST /api-keys", "DELETE /api-keys/{keyId}",
        "GET /environment/publishable-policy", "PUT /environment/publishable-policy",
        "GET /features/", "GET /features/count", "POST /features/", "GET /features/{featureId}", "PUT /features/{featureId}", "DELETE /features/{featureId}",
        "GET /flags/", "GET /flags/count", "GET /flags/{flagId}", "PUT /flags/{flagId}/rules",
        "GET /trait-definitions/", "GET /trait-definitions/count", "POST /trait-definitions/", "GET /trait-definitions/{traitId}",
        "GET /entity-trait-definitions/", "GET /entity-trait-definitions/count", "POST /entity-trait-definitions/", "GET /entity-trait-definitions/{traitId}",
        "GET /plans/", "GET /plans/count", "POST /plans/", "GET /plans/{planId}", "PUT /plans/{planId}", "DELETE /plans/{planId}",
        "GET /plan-entitlements/", "GET /plan-entitlements/count", "POST /plan-entitlements/", "GET /plan-entitlements/{entitlementId}", "PUT /plan-entitlements/{entitlementId}",
        "DELETE /plan-entitlements/{entitlementId}",
        "GET /plans/{planId}/versions", "POST /plans/{planId}/versions", "GET /plans/version/{versionId}", "DELETE /plans/version/{versionId}",
        "PUT /plans/version/{versionId}/publish",
        "POST /companies/", "POST /companies/create", "GET /companies/", "GET /companies/count", "GET /companies/lookup", "POST /companies/delete", "GET /companies/{companyId}",
        "DELETE /companies/{companyId}", "PUT /company-plans/{companyId}", "POST /company-traits",
        "POST /users/", "POST /users/create", "GET /users/", "GET /users/count", "GET /users/lookup", "POST /users/delete", "GET /users/{userId}",
        "DELETE /users/{userId}", "POST /user-traits",
        "GET /company-overrides/", "GET /company-overrides/count", "POST /company-overrides/", "GET /company-overrides/{overrideId}", "PUT /company-overrides/{overrideId}",
        "DELETE /company-overrides/{overrideId}",
        "GET /audit-log/", "GET /audit-log/count", "GET /audit-log/{auditLogId}",
        "GET /feature-usage", "GET /usage-by-company", "GET /feature-companies", "GET /feature-usage-timeseries", "GET /feature-usage-history",
        "POST /flags/{flagKey}/check-and-track",
        "GET /billing/credits/", "GET /billing/credits/count", "POST /billing/credits/", "GET /billing/credits/{creditId}", "PUT /billing/credits/{creditId}",
        "DELETE /billing/credits/{creditId}",
        "POST /billing/credits/grants/company", "GET /billing/credits/grants/company/list", "GET /billing/credits/grants/company/count", "GET /billing/credits/grants/list",
        "GET /billing/credits/grants/count", "PUT /billing/credits/grants/{grantId}/zero-out",
        "GET /billing/credits/plan-grants/", "GET /billing/credits/plan-grants/count", "POST /billing/credits/plan-grants/", "GET /billing/credits/plan-grants/{planGrantId}",
        "PUT /billing/credits/plan-grants/{planGrantId}", "DELETE /billing/credits/plan-grants/{planGrantId}",
        "POST /billing/credits/reservations/", "GET /billing/credits/reservations/{reservationId}", "PUT /billing/credits/reservations/{reservationId}/release",
        "PUT /billing/credits/reservations/{reservationId}/settle",
        "POST /billing/credits/lease/", "GET /billing/credits/lease/{leaseId}", "PUT /billing/credits/lease/{leaseId}/extend", "PUT /billing/credits/lease/{leaseId}/release",
        "GET /billing/credits/balance", "PUT /billing/credits/overdraft", "POST /billing/credits/consume",
        "GET /v2/billing/credits/ledger/", "GET /v2/billing/credits/ledger/count",
        "GET /billing/credits/bundles/", "GET /billing/credits/bundles/count", "POST /billing/credits/bundles/", "GET /billing/credits/bundles/{bundleId}",
        "PUT /billing/credits/bundles/{bundleId}", "DELETE /billing/credits/bundles/{bundleId}", "POST /billing/credits/bundles/{bundleId}/grant",
        "GET /billing/credits/spend-policies/", "GET /billing/credits/spend-policies/count", "POST /billing/credits/spend-policies/",
        "GET /billing/credits/spend-policies/{policyId}", "PUT /billing/credits/spend-policies/{policyId}", "DELETE /billing/credits/spend-policies/{policyId}",
        "GET /billing/credits/ledger",
        "GET /catalogs/", "POST /catalogs/", "GET /catalogs/{catalogId}", "PUT /catalogs/{catalogId}", "DELETE /catalogs/{catalogId}",
        "GET /catalogs/{catalogId}/configuration", "PUT /catalogs/{catalogId}/configuration", "GET /catalogs/{catalogId}/plans",
        "POST /catalogs/{catalogId}/plans/{planId}", "DELETE /catalogs/{catalogId}/plans/{planId}", "GET /catalogs/{catalogId}/credit-bundles",
        "POST /catalogs/{catalogId}/credit-bundles/{bundleId}", "DELETE /catalogs/{catalogId}/credit-bundles/{bundleId}", "GET /catalogs/{catalogId}/features",
        "GET /data-exports/", "POST /data-exports/", "GET /data-exports/{exportId}", "GET /data-exports/{exportId}/artifact",
        "POST /billing/stripe/plan-versions/{planVersionId}/push", "POST /billing/stripe/checkout-sessions", "POST /billing/stripe/portal-sessions",
        "POST /billing/stripe/subscription-changes",

        // Billing meters and the meter sync.
        "GET /billing/meters/", "POST /billing/meters/", "POST /billing/meters/refresh", "POST /billing/meters/sync",
        "DELETE /billing/meters/{meterId}", "POST /billing/meters/requeue",

        // Environments, keys, events, memberships, entity keys and traits, per-user usage (issue 11, item 6).
        "GET /environments", "GET /environments/{environmentId}", "PUT /environments/{environmentId}", "DELETE /environments/{environmentId}", "GET /whoami",
        "GET /api-keys/count", "GET /api-keys/{keyId}", "PUT /api-keys/{keyId}", "GET /events", "GET /events/{eventId}", "GET /event-types",
        "GET /company-memberships/", "POST /company-memberships/", "DELETE /company-memberships/{membershipId}",

        // Plan group and trials.
        "GET /plan-groups/", "POST /plan-groups/", "PUT /plan-groups/{planGroupId}", "POST /companies/{companyId}/trial", "POST /companies/{companyId}/trial/convert",
        "PUT /subscription/{subscriptionId}/edit-trial-end", "GET /company-subscriptions",

        // Plan version migrations.
        "GET /plan-version-migrations/", "GET /plan-version-migrations/count", "POST /plan-version-migrations/", "POST /plan-version-migrations/preview",
        "GET /plan-version-migrations/{migrationId}", "POST /plan-version-migrations/{migrationId}/cancel", "POST /plan-version-migrations/{migrationId}/complete-now",
        "POST /plan-version-migrations/{migrationId}/retry", "GET /plan-version-company-migrations/", "GET /plan-version-company-migrations/count",
        "POST /plan-version-company-migrations/{rowId}/retry",
        "GET /entity-key-definitions/", "GET /entity-key-definitions/count", "DELETE /entity-key-definitions/{definitionId}", "GET /entity-keys/count",
        "GET /entity-trait-values", "GET /entity-traits/count", "PUT /entity-trait-definitions/{traitId}", "DELETE /entity-trait-definitions/{traitId}",
        "GET /entity-trait-definitions/{traitId}/usage", "GET /feature-companies/count", "GET /feature-usage/count", "GET /feature-users", "GET /feature-users/count",
        "GET /user-usage-by-company", "GET /user-usage-detail",

        // Erasure of personal data.
        "DELETE /companies/{companyId}/personal-data", "DELETE /users/{userId}/personal-data",

        // Check-and-reserve holds credits: a write, so a publishable key may not call it (CreditTests prove it holds nothing).
        "POST /flags/{flagKey}/check-and-reserve",
        "PUT /billing/stripe/connection", "GET /billing/stripe/connection", "POST /billing/stripe/connection/check", "DELETE /billing/stripe/connection",
        "GET /billing/stripe/webhook-events/", "POST /billing/stripe/webhook-events/{eventId}/retry",
        "POST /billing/stripe/import", "GET /billing/stripe/import", "GET /billing/products", "GET /billing/products/count", "PUT /billing/products/{productId}",
        "GET /billing/prices/", "GET /billing/prices/count", "PUT /billing/prices/{priceId}",

        // Flags on their own, custom plans, manage-plan, plan changes, plan prices, duplication and plan traits.
        "POST /flags/", "PUT /flags/{flagId}", "DELETE /flags/{flagId}",
        "POST /custom-plans", "GET /custom-plan-billings/", "GET /custom-plan-billings/count", "PUT /custom-plan-billings/{billingId}/mark-paid",
        "PUT /custom-plan-billings/{billingId}/retry",
        "POST /manage-plan/", "POST /manage-plan/preview", "POST /manage-plan/subscription/cancel",
        "GET /plan-changes/", "GET /plan-changes/count", "GET /plan-changes/{changeId}",
        "PUT /plans/{planId}/billing_products", "POST /plan-entitlements/duplicate",
        "GET /plan-traits/", "GET /plan-traits/count", "GET /plan-traits/{planTraitId}", "POST /plan-traits/bulk",
        "POST /plan-bundles", "PUT /plan-bundles/{planId}", "POST /custom-plan-bundles",
        "POST /plans/billing-linked", "POST /features/billing-linked", "POST /plan-entitlements/billing-linked",
        "GET /plans/issues", "GET /plans/billing-product-match-companies", "GET /plans/billing-product-match-companies/count",
        "POST /billing/product/upsert", "DELETE /billing/product/{billing_id}", "GET /billing/product/prices", "DELETE /billing/product/prices/{billing_id}",
        "GET /billing/price", "POST /billing/price/upsert", "GET /billing/meter", "POST /billing/meter/upsert", "POST /billing/customer/upsert",
        "DELETE /billing/customer/{billing_id}", "GET /billing/customers", "GET /billing/customers/count", "POST /billing/subscription/upsert",
        "GET /billing/profiles", "PUT /billing/profiles/{billing_profile_id}", "GET /billing/coupons", "POST /billing/coupons", "DELETE /billing/coupons/{billing_id}",
        "GET /billing/invoices", "POST /billing/invoices", "DELETE /billing/invoices/{billing_id}", "GET /billing/payment-methods", "POST /billing/payment-methods",
        "DELETE /billing/payment-methods/{billing_id}", "GET /company-billing-entity", "GET /company-billing-entity-subscriptions",
        "GET /companies/{company_id}/billing-details", "PUT /companies/{company_id}/billing-details", "GET /scheduled-checkout/", "POST /scheduled-checkout/",
        "GET /scheduled-checkout/{scheduled_checkout_id}", "PUT /scheduled-checkout/{scheduled_checkout_id}",
        "GET /webhooks/", "GET /webhooks/count", "POST /webhooks/", "GET /webhooks/{webhookId}", "PUT /webhooks/{webhookId}", "DELETE /webhooks/{webhookId}",
        "POST /webhooks/{webhookId}/test", "GET /webhook-events/", "GET /webhook-events/count", "GET /webhook-events/{webhookEventId}", "POST /webhook-events/{webhookEventId}/retry",

        // Insights (issue 14, item 2): Schematic's /insights/* and Tollgate's signal lists.
        "GET /insights/summary", "GET /insights/activity", "GET /insights/top-features", "GET /insights/plan-growth",
        "GET /insights/feature-usage-timeseries", "GET /insights/trait-usage-timeseries", "GET /insights/signals/{kind}", "GET /insights/signals/{kind}/count",
        "POST /temporary-access-tokens", "GET /components/", "GET /components/count", "POST /components/", "GET /components/{componentId}", "PUT /components/{componentId}",
        "PUT /components/{componentId}/catalog", "DELETE /components/{componentId}", "GET /components/hydrate", "GET /components/{componentId}/hydrate",
        "GET /components/preview-data", "GET /component-origins/", "PUT /component-origins/",
        "GET /datastream",
        "POST /checkout/", "POST /checkout/preview", "DELETE /checkout/unsubscribe", "GET /checkout/balance", "POST /checkout/paymentmethod/update",
        "DELETE /checkout/paymentmethod/{checkoutId}", "POST /checkout/custom-field-values", "POST /components/setup-intent", "GET /components/{componentId}/setup-intent",
        "GET /components/{componentId}/hydrate/upcoming-invoice", "GET /components/invoices", "GET /company/upcoming-invoice", "GET /company/invoices",
    ];

    /// <summary>Endpoints that take no API key because the request is signed instead (Stripe's webhook deliveries).</summary>
    public static readonly string[] SignedEndpoints = ["POST /webhooks/stripe/{environmentId}"];

    /// <summary>Endpoints open to anyone because they hold nothing of an environment (the home page).</summary>
    public static readonly string[] PublicEndpoints = ["GET /", "GET /about"];

    /// <summary>The endpoints a publishable key may call: checks and events (as Schematic's browser SDK sends them).</summary>
    public static readonly string[] PublishableEndpoints =
    [
        "POST /flags/{flagKey}/check", "POST /flags/check", "POST /flags/check-bulk",
        "POST /batch", "POST /events", "POST /event-batch",
        "GET /public/plans",
        "POST /ofrep/v1/evaluate/flags/{key}", "POST /ofrep/v1/evaluate/flags",

        // The browser SDK's own routes take the key from the request (query string, event body), not the header.
        "GET /flags/bootstrap", "POST /e",
    ];

    [Fact]
    public async Task ARequestWithoutAKeyIsAnswered401WithAnErrorBody()
    {
        var response = await server.Api(key: null).GetAsync("/features");

        response.ShouldFail(HttpStatusCode.Unauthorized, ApiKeyAuthentication.Header);
    }

    [Fact]
    public async Task AnUnknownKeyIsAnswered401()
    {
        var response = await server.Api("tg_sk_this_key_was_never_issued_0000000").GetAsync("/features");

        response.ShouldFail(HttpStatusCode.Unauthorized, "invalid or revoked");
    }

    [Fact]
    public async Task AnEmptyKeyIsAnswered401()
    {
        var response = await server.Api(string.Empty).PostAsync("/flags/check", new { });

        response.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AKeyIsRejectedOnTheRequestAfterItIsRevoked()
    {
        var admin = await server.NewEnvironmentAsync();
        var created = (await admin.PostAsync("/api-keys", new { name = "ci" })).ShouldBe(HttpStatusCode.Created);
        var second = server.Api(created.Data.GetProperty("key").GetString());
        (await second.GetAsync("/features")).ShouldBe(HttpStatusCode.OK);

        var revoked = await admin.DeleteAsync($"/api-keys/{created.Data.GetProperty("api_key").GetProperty("id").GetString()}");

        Assert.True(revoked.ShouldBe(HttpStatusCode.OK).Data.GetProperty("deleted").GetBoolean());
        (await second.GetAsync("/features")).ShouldFail(HttpStatusCode.Unauthorized, "invalid or revoked");
        (await second.PostAsync("/flags/check", new { })).ShouldBe(HttpStatusCode.Unauthorized);
        (await admin.GetAsync("/features")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RevokingAKeyTwiceOrAnUnknownKeyIsAnswered404()
    {
        var admin = await server.NewEnvironmentAsync();
        var created = (await admin.PostAsync("/api-keys", new { name = "temporary", kind = "publishable" })).ShouldBe(HttpStatusCode.Created);
        var id = created.Data.GetProperty("api_key").GetProperty("id").GetString();

        (await admin.DeleteAsync($"/api-keys/{id}")).ShouldBe(HttpStatusCode.OK);
        (await admin.DeleteAsync($"/api-keys/{id}")).ShouldFail(HttpStatusCode.NotFound, "API key not found");
        (await admin.DeleteAsync("/api-keys/key_unknown")).ShouldFail(HttpStatusCode.NotFound, "API key not found");
    }

    [Fact]
    public async Task AKeyRevokedWithoutAChangeNoticeIsRefusedOnceItsCacheEntryExpires()
    {
        var admin = await server.NewEnvironmentAsync();
        var created = (await admin.PostAsync("/api-keys", new { name = "leaked" })).ShouldBe(HttpStatusCode.Created).Data;
        var leaked = server.Api(created.GetProperty("key").GetString());
        (await leaked.GetAsync("/features")).ShouldBe(HttpStatusCode.OK);

        // Revoked behind the server's back, as a node whose change notice was lost would see it.
        await using (var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE api_keys SET revoked_at = 1 WHERE id = '{created.GetProperty("api_key").GetProperty("id").GetString()}'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        (await leaked.GetAsync("/features")).ShouldBe(HttpStatusCode.OK);
        server.Time.Advance(EnvironmentStore.KeyCacheFor);
        (await leaked.GetAsync("/features")).ShouldFail(HttpStatusCode.Unauthorized, "invalid or revoked");
    }

    [Fact]
    public async Task ARevokedKeyIsListedWithItsRevocationTime()
    {
        var admin = await server.NewEnvironmentAsync();
        var created = (await admin.PostAsync("/api-keys", new { name = "old" })).ShouldBe(HttpStatusCode.Created);
        var id = created.Data.GetProperty("api_key").GetProperty("id").GetString();
        (await admin.DeleteAsync($"/api-keys/{id}")).ShouldBe(HttpStatusCode.OK);

        var keys = (await admin.GetAsync("/api-keys")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToList();

        Assert.Equal(2, keys.Count);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, keys.Single(k => k.GetProperty("id").GetString() == id).GetProperty("revoked_at").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, keys.Single(k => k.GetProperty("id").GetString() == admin.KeyId).GetProperty("revoked_at").ValueKind);
    }

    [Fact]
    public async Task KeysAreListedMaskedAndTheirTextIsShownOnlyWhenCreated()
    {
        var admin = await server.NewEnvironmentAsync();
        var created = (await admin.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created);
        var key = created.Data.GetProperty("key").GetString()!;

        var listed = (await admin.GetAsync("/api-keys")).ShouldBe(HttpStatusCode.OK);

        Assert.StartsWith("tg_pk_", key, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Text, StringComparison.Ordinal);
        var entry = listed.Data.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "browser");
        Assert.Equal("publishable", entry.GetProperty("kind").GetString());
        Assert.Equal($"{key[..6]}…{key[^4..]}", entry.GetProperty("key_hint").GetString());
    }

    [Fact]
    public async Task TheConfiguredKeyBelongsToTheDefaultEnvironment()
    {
        var environment = (await server.Api().GetAsync("/environment")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("development", environment.Data.GetProperty("name").GetString());
        Assert.StartsWith("env_", environment.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyCreatedWithAnUnknownKindIsRejected()
    {
        var admin = await server.NewEnvironmentAsync();

        (await admin.PostAsync("/api-keys", new { name = "x", kind = "admin" })).ShouldFail(HttpStatusCode.BadRequest, "kind");
        (await admin.PostAsync("/api-keys", new { kind = "secret" })).ShouldFail(HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task AuthenticationIsCheckedBeforeTheBodyIsRead()
    {
        var publishable = await PublishableKeyAsync(server.Api());

        (await server.Api(key: null).SendRawAsync(HttpMethod.Post, "/features", "{")).ShouldBe(HttpStatusCode.Unauthorized);
        (await server.Api(key: null).SendRawAsync(HttpMethod.Post, "/companies", "null")).ShouldBe(HttpStatusCode.Unauthorized);
        (await server.Api("tg_sk_wrong_000000000000000000").SendRawAsync(HttpMethod.Put, "/plans/plan_x", "[1,2")).ShouldBe(HttpStatusCode.Unauthorized);
        (await server.Api(publishable).SendRawAsync(HttpMethod.Post, "/features", "{")).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task APublishableKeyCanCallEveryCheckEndpoint()
    {
        var admin = await server.NewEnvironmentAsync();
        await Given.BooleanFeatureAsync(admin, "dark-mode", defaultValue: true);
        var checker = server.Api(await PublishableKeyAsync(admin));

        var one = (await checker.PostAsync("/flags/dark-mode/check", new { company = new Dictionary<string, string> { ["id"] = "nobody" } })).ShouldBe(HttpStatusCode.OK);
        var all = (await checker.PostAsync("/flags/check", new { })).ShouldBe(HttpStatusCode.OK);
        var bulk = (await checker.PostAsync("/flags/check-bulk", new { contexts = new[] { new { } } })).ShouldBe(HttpStatusCode.OK);

        Assert.True(one.Data.GetProperty("value").GetBoolean());
        Assert.Equal("dark-mode", all.Data.GetProperty("flags")[0].GetProperty("flag").GetString());
        Assert.Equal(1, bulk.Data.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task APublishableKeyIsForbiddenEveryManagementEndpoint()
    {
        var routes = RoutesOfTheApi();
        var publishable = server.Api(await PublishableKeyAsync(server.Api()));

        Assert.Equal([.. ManagementEndpoints.Concat(PublishableEndpoints).Concat(SignedEndpoints).Concat(PublicEndpoints).Order(StringComparer.Ordinal)], [.. routes.Select(r => r.Name).Order(StringComparer.Ordinal)]);
        foreach (var (name, method, path) in routes.Where(r => ManagementEndpoints.Contains(r.Name)))
        {
            var response = await publishable.SendAsync(new HttpMethod(method), path, method is "POST" or "PUT" ? new { name = "x" } : null);
            if (response.Status != HttpStatusCode.Forbidden || !response.Error.Contains("publishable", StringComparison.Ordinal))
            {
                throw response.Fail($"{name} must be forbidden to a publishable key");
            }
        }
    }

    [Fact]
    public async Task APublishableKeyCanNeitherReadNorChangeManagementData()
    {
        var admin = await server.NewEnvironmentAsync();
        var feature = await Given.BooleanFeatureAsync(admin, "reports");
        var company = await Given.CompanyAsync(admin, "globex");
        var publishable = server.Api(await PublishableKeyAsync(admin));

        (await publishable.GetAsync("/features")).ShouldBe(HttpStatusCode.Forbidden);
        (await publishable.GetAsync($"/features/{feature}")).ShouldBe(HttpStatusCode.Forbidden);
        (await publishable.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.Forbidden);
        (await publishable.GetAsync("/audit-log")).ShouldBe(HttpStatusCode.Forbidden);
        (await publishable.PostAsync("/features", new { name = "Sneaky", featureType = "boolean" })).ShouldBe(HttpStatusCode.Forbidden);
        (await publishable.PutAsync($"/features/{feature}", new { name = "Renamed" })).ShouldBe(HttpStatusCode.Forbidden);
        (await publishable.DeleteAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.Forbidden);
        (await publishable.PostAsync("/companies", new { keys = new Dictionary<string, string> { ["id"] = "initech" } })).ShouldBe(HttpStatusCode.Forbidden);
        (await publishable.PostAsync("/api-keys", new { name = "escalate", kind = "secret" })).ShouldBe(HttpStatusCode.Forbidden);

        var features = (await admin.GetAsync("/features")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("reports", Assert.Single(features.EnumerateArray()).GetProperty("name").GetString());
        (await admin.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, (await admin.GetAsync("/companies/count")).Data.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task UnknownRoutesAndMethodsAreAnsweredWithAnErrorBody()
    {
        (await server.Api().GetAsync("/no-such-thing")).ShouldFail(HttpStatusCode.NotFound, "no such endpoint");
        (await server.Api().PutAsync("/features", new { })).ShouldFail(HttpStatusCode.MethodNotAllowed, "method not allowed");
    }

    [Fact]
    public async Task TheHealthEndpointAndTheApiDocumentNeedNoKey()
    {
        (await server.Api(key: null).GetAsync("/health")).ShouldBe(HttpStatusCode.OK);
        var document = (await server.Api(key: null).GetAsync("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK);

        var paths = document.Body.GetProperty("paths");
        foreach (var route in ManagementEndpoints.Concat(PublishableEndpoints).Concat(SignedEndpoints))
        {
            var (method, path) = (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            var documented = paths.EnumerateObject().Any(p => p.Name.TrimEnd('/') == path.TrimEnd('/') && p.Value.TryGetProperty(method.ToLowerInvariant(), out _));
            Assert.True(documented, $"{route} is missing from the OpenAPI document");
        }
    }

    private static async Task<string> PublishableKeyAsync(ApiClient admin)
    {
        var created = (await admin.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created);
        return created.Data.GetProperty("key").GetString()!;
    }

    /// <summary>Every API route the server maps (documents and health excluded), with a concrete path to call.</summary>
    private List<(string Name, string Method, string Path)> RoutesOfTheApi()
    {
        var routes = new List<(string, string, string)>();
        foreach (var endpoint in server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
            // The console (its pages, assets and the browser's entry points) is signed in with a cookie, not an API key.
            if (pattern.StartsWith("/openapi", StringComparison.Ordinal) || pattern.StartsWith("/docs", StringComparison.Ordinal) || pattern == "/health"
                || pattern.TrimStart('/').StartsWith("console", StringComparison.Ordinal))
            {
                continue;
            }

            var path = string.Join('/', pattern.Split('/').Select(segment => segment.StartsWith('{') ? "id_x" : segment));
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                routes.Add(($"{method} {pattern}", method, path));
            }
        }

        return routes;
    }
}

public sealed class AuthenticationTestsOnSqlite(SqliteServer server) : AuthenticationTests(server), IClassFixture<SqliteServer>;

public sealed class AuthenticationTestsOnPostgres(PostgresServer server) : AuthenticationTests(server), IClassFixture<PostgresServer>;
