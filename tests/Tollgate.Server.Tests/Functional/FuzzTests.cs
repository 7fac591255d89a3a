using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>The server never answers 5xx to bad input: seeded random bodies against every endpoint that takes one.</summary>
public abstract class FuzzTests(TollgateFactory server)
{
    private const int BodiesPerEndpoint = 60;

    /// <summary>A valid body for each endpoint of <see cref="ValidationTests.BodyEndpoints"/>, which the fuzzer mutates.</summary>
    private static readonly Dictionary<string, string> ValidBodies = new()
    {
        ["POST /environments"] = """{"name":"fuzz"}""",
        ["POST /api-keys"] = """{"name":"fuzz","kind":"publishable"}""",
        ["POST /features"] = """{"name":"Fuzz","description":"d","feature_type":"event","event_subtype":"e","trait_id":null,"flag":{"key":"fuzz","name":"n","description":"d","default_value":true}}""",
        ["PUT /features/{feature}"] = """{"name":"SSO","feature_type":"boolean"}""",
        ["PUT /flags/{flag}/rules"] = """
            {"rules":[{"name":"r","rule_type":"standard","priority":1,"value":true,
              "conditions":[{"condition_type":"company","operator":"eq","resource_ids":["{company}"]},
                            {"condition_type":"metric","operator":"lt","event_subtype":"api_call","metric_value":10,"metric_period":"current_month","metric_period_month_reset":"billing_cycle"}],
              "condition_groups":[{"conditions":[{"condition_type":"plan","operator":"eq","resource_ids":["{plan}"]},
                                                 {"condition_type":"credit","operator":"lte","credit_id":"ai_credits","consumption_rate":1.5}]}]}]}
            """,
        ["POST /trait-definitions"] = """{"name":"t","entity_type":"user","comparable_type":"date"}""",
        ["POST /entity-trait-definitions"] = """{"display_name":"D","entity_type":"company","hierarchy":["address","city"],"trait_type":"url"}""",
        ["POST /plans"] = """{"name":"P","description":"d","plan_type":"add_on"}""",
        ["PUT /plans/{plan}"] = """{"name":"Pro","description":"d","plan_type":"plan"}""",
        ["POST /plan-entitlements"] = """
            {"plan_id":"{plan}","feature_id":"{event_feature}","value_type":"numeric","value_numeric":5,"metric_period":"current_month",
             "metric_period_month_reset":"first_of_month","soft_limit":4,"warning_tiers":[{"key":"w","value":3}],"credit_consumption_rate":1}
            """,
        ["PUT /plan-entitlements/{entitlement}"] = """{"value_type":"numeric","value_numeric":10,"warning_tiers":[{"key":"w","value":3}]}""",
        ["POST /companies"] = """
            {"keys":{"id":"fuzz-co"},"name":"F","traits":{"seats":3,"region":"eu","vip":true},"base_plan_id":"{plan}","add_on_ids":[],
             "subscription":{"id":"s","period_start":"2025-06-01T00:00:00Z","period_end":"2025-07-01T00:00:00Z"},"last_seen_at":"2025-06-01T00:00:00Z","update_only":false}
            """,
        ["POST /companies/create"] = """{"keys":{"id":"fuzz-new"},"name":"F","traits":{"seats":1},"add_on_ids":[]}""",
        ["PUT /company-plans/{company}"] = """{"base_plan_id":"{plan}","add_on_ids":[]}""",
        ["POST /company-traits"] = """{"keys":{"id":"acme"},"trait":"seats","incr":1}""",
        ["POST /users"] = """
            {"keys":{"email":"fuzz@x.test"},"name":"U","traits":{"role":"admin"},"company":{"id":"acme"},"companies":[{"id":"acme"}],
             "company_id":"{company}","company_ids":["{company}"],"last_seen_at":"2025-06-01T00:00:00Z"}
            """,
        ["POST /users/create"] = """{"keys":{"email":"fuzz-new@x.test"},"company":{"id":"acme"}}""",
        ["POST /company-overrides"] = """{"company_id":"{company}","feature_id":"{feature}","value_type":"boolean","value_bool":true,"expiration_date":"2025-07-01T00:00:00Z","note":"n"}""",
        ["PUT /company-overrides/{override}"] = """{"value_type":"boolean","value_bool":false}""",
        ["POST /flags/{flag_key}/check"] = Check,
        ["POST /flags/check"] = Check,
        ["POST /flags/check-bulk"] = $$"""{"contexts":[{{Check}},{}]}""",
        ["POST /batch"] = """
            {"events":[
              {"type":"track","body":{"event":"api_call","company":{"id":"acme"},"user":{"email":"ana@acme.test"},"quantity":2},
               "sent_at":"2025-06-01T00:00:00Z","idempotency_key":"fuzz-1","trusted_client_clock":true,"backfill":false},
              {"type":"identify","body":{"keys":{"email":"fuzz@acme.test"},"name":"F","traits":{"role":"admin","logins":3},
               "company":{"keys":{"id":"acme"},"name":"Acme","traits":{"seats":3}}}},
              {"type":"flag_check","body":{"flag_key":"sso","value":true,"reason":"r","flag_id":null,"company_id":null,"user_id":null}}]}
            """,
        ["POST /events"] = """{"event_type":"track","body":{"event":"api_call","company":{"id":"acme"},"quantity":1},"sent_at":"2025-06-01T00:00:00Z"}""",
        ["POST /event-batch"] = """{"events":[{"event_type":"track","body":{"event":"api_call","company":{"id":"acme"}}}]}""",
        ["POST /flags/api-calls/check-and-track"] = """{"company":{"id":"acme"},"quantity":1,"idempotency_key":"fuzz-c1"}""",

        // The key of the fake Stripe's default account (the fixture runs one).
        ["PUT /billing/stripe/connection"] = """{"secret_key":"sk_test_fake","webhook_secret":"whsec_0123456789","past_due_policy":"keep","fallback_plan_id":"{plan}","seats_trait":"seats","import":false}""",
        // Outbound Stripe, on the connection above (or 409 before it is made): the push gives Pro its prices, so the
        // checkout sells them; the portal and subscription changes are 409 (no subscription) unless the fuzzer drops the flow.
        ["POST /billing/stripe/plan-versions/{plan_version}/push"] = """
            {"prices":[{"interval":"month","unit_amount":1500,"currency":"usd","per_seat":true},{"interval":"year","unit_amount":15000,"per_seat":false}],"metered":[]}
            """,
        ["POST /billing/stripe/checkout-sessions"] = """
            {"company_id":"{company}","plan_id":"{plan}","interval":"month","seats":3,"success_url":"https://app.test/ok","cancel_url":"https://app.test/no","trial_days":14}
            """,
        ["POST /billing/stripe/portal-sessions"] = """{"company_id":"{company}","return_url":"https://app.test/billing","flow":"subscription_update"}""",
        ["POST /billing/stripe/subscription-changes"] = """{"company_id":"{company}","plan_id":"{plan}","interval":"year","seats":2,"proration_behavior":"none","cancel_at_period_end":false}""",
        // On the connection above: the meter is made in the fake Stripe (409 when the fuzzer ran before the connection).
        ["POST /billing/meters"] = """{"event_subtype":"api_call","display_name":"API calls"}""",
        ["POST /billing/meters/requeue"] = """{"status":"skipped"}""",
    };

    private const string Check = """
        {"company":{"id":"acme"},"user":{"email":"ana@acme.test"},
         "preflight":{"usage":1,"event_usage":{"event_subtype":"api_call","quantity":2},"credit_cost":{"ai_credits":1.5}}}
        """;

    [Fact]
    public void EveryEndpointThatTakesABodyHasAValidBodyToMutate() =>
        Assert.Equal(
            [.. ValidationTests.BodyEndpoints.Select(e => $"{e.Method} {e.Path}").Order(StringComparer.Ordinal)],
            [.. ValidBodies.Keys.Order(StringComparer.Ordinal)]);

    [Fact]
    public async Task TheValidBodiesAreAccepted()
    {
        var targets = await server.TargetsAsync();

        foreach (var (endpoint, body) in ValidBodies)
        {
            var (method, path) = Split(endpoint);
            var response = await targets.Api.SendRawAsync(new HttpMethod(method), targets.Fill(path), targets.Fill(body));
            // 409: the body is valid, and what it creates exists already (an earlier run of the fuzzer, or the targets).
            if ((int)response.Status >= 300 && response.Status != HttpStatusCode.Conflict)
            {
                throw response.Fail("the fuzzer's starting body must be valid");
            }
        }
    }

    [Fact]
    public async Task RandomBodiesNeverGetA5xx()
    {
        var targets = await server.TargetsAsync();
        var fuzzer = new JsonFuzzer(seed: 20250611, [targets.Company, targets.User, targets.Override, targets.Flag, targets.Scenario.Pro, targets.Scenario.Starter, targets.Scenario.Sso]);
        var failures = new List<string>();

        foreach (var (endpoint, valid) in ValidBodies)
        {
            var (method, path) = Split(endpoint);
            for (var i = 0; i < BodiesPerEndpoint; i++)
            {
                var body = fuzzer.Next(targets.Fill(valid));
                var response = await targets.Api.SendRawAsync(new HttpMethod(method), targets.Fill(path), body);
                if ((int)response.Status >= 500)
                {
                    failures.Add($"{response}\n    body: {(body.Length > 300 ? body[..300] + "…" : body)}");
                }
            }
        }

        // The environment must still answer after everything above.
        (await targets.Api.PostAsync("/flags/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK);
        Assert.True(failures.Count == 0, $"{failures.Count} bodies got a 5xx:\n{string.Join('\n', failures.Take(25))}");
    }

    private static (string Method, string Path) Split(string endpoint)
    {
        var space = endpoint.IndexOf(' ', StringComparison.Ordinal);
        return (endpoint[..space], endpoint[(space + 1)..]);
    }
}

// With a fake Stripe beside the server, so that connecting (a body endpoint) can prove its key against it.
public sealed class FuzzTestsOnSqlite(StripeSqliteServer server) : FuzzTests(server), IClassFixture<StripeSqliteServer>;

public sealed class FuzzTestsOnPostgres(StripePostgresServer server) : FuzzTests(server), IClassFixture<StripePostgresServer>;
