using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>The credit endpoints never answer 5xx to bad input: seeded random mutations of valid bodies.</summary>
public abstract class CreditFuzzTests(TollgateFactory server)
{
    private const int BodiesPerEndpoint = 60;

    [Fact]
    public async Task RandomCreditBodiesNeverGetA5xx()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(1000);
        var grant = (await s.GrantAsync(50)).GetProperty("id").GetString()!;
        var reservation = (await s.ReserveAsync(1)).ShouldBe(HttpStatusCode.OK).Id;
        var planGrant = (await s.Api.PostAsync("/billing/credits/plan-grants", new { planId = s.PlanId, creditId = s.CreditId, creditAmount = 5 })).ShouldBe(HttpStatusCode.Created).Id;
        var soon = server.Time.GetUtcNow().AddMinutes(30).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var ids = $$"""{"company_id":"{{s.CompanyId}}","credit_id":"{{s.CreditId}}","credit_type_id":"{{s.CreditId}}","plan_id":"{{s.PlanId}}"}""";
        var bodies = new (string Method, string Path, string Body)[]
        {
            ("POST", "/billing/credits", """{"name":"N","description":"d","currency":"usd","burn_strategy":"first_in_first_out","default_expiry_unit":"days","default_expiry_unit_count":3,"default_rollover_policy":"none","per_unit_price":2}"""),
            ("PUT", $"/billing/credits/{s.CreditId}", """{"name":"AI tokens","description":"d","plural_name":"tokens"}"""),
            ("POST", "/billing/credits/grants/company", Merge(ids, """ "quantity":5,"reason":"free","expires_at":"2030-01-01T00:00:00Z","expiry_type":"duration","note":"n" """)),
            ("PUT", $"/billing/credits/grants/{grant}/zero-out", """{"reason":"manual"}"""),
            ("POST", "/billing/credits/plan-grants", Merge(ids, """ "credit_amount":3,"reset_cadence":"weekly","reset_start":"billing_period","reset_type":"no_reset","postpaid_enabled":true,"overdraft_limit":4,"apply_to_existing":false """)),
            ("PUT", $"/billing/credits/plan-grants/{planGrant}", """{"credit_amount":6,"reset_cadence":"monthly","reset_start":"first_of_month"}"""),
            ("POST", "/billing/credits/reservations", Merge(ids, $$""" "amount":1,"expires_at":"{{soon}}","idempotency_key":"k" """)),
            ("PUT", $"/billing/credits/reservations/{reservation}/settle", """{"amount":1}"""),
            ("POST", "/billing/credits/consume", Merge(ids, """ "amount":1,"reason":"r","source_ref":"s" """)),
            ("PUT", "/billing/credits/overdraft", Merge(ids, """ "postpaid_enabled":true,"overdraft_limit":3 """)),
            ("POST", "/flags/ai-gen/check-and-reserve", """{"company":{"id":"acme"},"quantity":2,"expires_at":"SOON","idempotency_key":"c","preflight":{"usage":1,"credit_cost":{"x":1}}}""".Replace("SOON", soon, StringComparison.Ordinal)),
        };
        var fuzzer = new JsonFuzzer(seed: 20251125, [s.CompanyId, s.CreditId, s.PlanId, s.FeatureId, grant, reservation, planGrant]);
        var failures = new List<string>();

        foreach (var (method, path, valid) in bodies)
        {
            var accepted = await s.Api.SendRawAsync(new HttpMethod(method), path, valid);
            if ((int)accepted.Status >= 300)
            {
                throw accepted.Fail("the fuzzer's starting body must be valid");
            }

            for (var i = 0; i < BodiesPerEndpoint; i++)
            {
                var body = fuzzer.Next(valid);
                var response = await s.Api.SendRawAsync(new HttpMethod(method), path, body);
                if ((int)response.Status >= 500)
                {
                    failures.Add($"{response}\n    body: {(body.Length > 300 ? body[..300] + "…" : body)}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} bodies got a 5xx:\n{string.Join('\n', failures.Take(25))}");
        (await s.Api.GetAsync($"/v2/billing/credits/ledger?company_id={s.CompanyId}")).ShouldBe(HttpStatusCode.OK);
        (await s.Api.GetAsync($"/billing/credits/balance?company_id={s.CompanyId}")).ShouldBe(HttpStatusCode.OK);
    }

    private static string Merge(string ids, string fields) => ids[..^1] + "," + fields.Trim() + "}";
}

public sealed class CreditFuzzTestsOnSqlite(SqliteServer server) : CreditFuzzTests(server), IClassFixture<SqliteServer>;

public sealed class CreditFuzzTestsOnPostgres(PostgresServer server) : CreditFuzzTests(server), IClassFixture<PostgresServer>;
