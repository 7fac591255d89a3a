using Dapper;

namespace Tollgate.Reliability.Cases;

/// <summary>
/// Everything an attacker holding a publishable key (it ships in browser code) might try, under the environment's
/// default publishable-key policy. Lost: any change to an existing company, a company created, usage reaching the
/// billing outbox, a management call answered with anything but 403, an oversized check context accepted.
/// </summary>
internal sealed class PublishableKeyAbuse(string storeKind) : IReliabilityCase
{
    public string Name => $"publishable-key-abuse-{storeKind}";

    public async Task<CaseResult> RunAsync(Lab lab, CancellationToken cancellationToken)
    {
        var store = await lab.NewStoreAsync(storeKind, "abuse").ConfigureAwait(false);
        var key = Lab.NewApiKey();
        await using var node = await lab.StartNodeAsync(store, "a", key, cancellationToken).ConfigureAwait(false);
        using var secret = new Api(node, key);
        var victim = await secret.RequireAsync("/companies", new { keys = new { id = "victim", stripe_customer_id = "cus_victim" }, name = "Victim Inc", traits = new { tier = "gold" } }, cancellationToken).ConfigureAwait(false);
        var victimId = victim.GetProperty("id").GetString()!;
        var publishableKey = (await secret.RequireAsync("/api-keys", new { name = "browser", kind = "publishable" }, cancellationToken).ConfigureAwait(false)).GetProperty("key").GetString()!;
        using var attacker = new Api(node, publishableKey);
        var before = await DescribeAsync(secret, victimId, cancellationToken).ConfigureAwait(false);

        var lost = new List<string>();
        var attempts = 0;
        object[] events =
        [
            new { type = "identify", body = new { keys = new { email = "mallory@evil.test" }, company = new { keys = new { id = "victim", stripe_customer_id = "cus_attacker" }, name = "Pwned" } } },
            new { type = "identify", body = new { keys = new { email = "mallory@evil.test" }, company = new { keys = new { id = "victim" }, traits = new { tier = "free" } } } },
            new { type = "identify", body = new { keys = new { email = "mallory@evil.test" }, company = new { keys = new { id = "intruder" }, name = "Intruder" } } },
            new { type = "track", body = new { @event = "api_call", company = new { id = "victim" }, quantity = 1_000_000_000_000L } },
            new { type = "track", body = new { @event = "api_call", company = new { id = "intruder-2" }, quantity = 1 } },
            new { type = "track", body = new { @event = "api_call", company = new { id = "victim" }, quantity = 5 } },
        ];
        foreach (var @event in events)
        {
            attempts++;
            var (status, _) = await attacker.PostAsync("/batch", new { events = new[] { @event } }, cancellationToken).ConfigureAwait(false);
            if (status >= 500)
            {
                lost.Add($"an event sent with the publishable key answered {status}");
            }
        }

        (HttpMethod Method, string Path, object? Body)[] management =
        [
            (HttpMethod.Post, "/companies", new { keys = new { id = "victim" }, name = "Pwned" }),
            (HttpMethod.Put, $"/company-plans/{victimId}", new { base_plan_id = (string?)null, add_on_ids = Array.Empty<string>() }),
            (HttpMethod.Post, "/company-traits", new { keys = new { id = "victim" }, trait = "tier", set = "free" }),
            (HttpMethod.Delete, $"/companies/{victimId}", null),
            (HttpMethod.Put, "/environment/publishable-policy", new { create_companies = true, usage_reaches_billing = true }),
            (HttpMethod.Get, "/environment/publishable-policy", null),
            (HttpMethod.Post, "/api-keys", new { name = "mine", kind = "secret" }),
            (HttpMethod.Post, "/billing/credits/grants/company", new { company_id = victimId, credit_id = "bcrd_x", quantity = 1000 }),
        ];
        foreach (var (method, path, body) in management)
        {
            attempts++;
            var (status, _) = await attacker.SendAsync(method, path, body, cancellationToken).ConfigureAwait(false);
            if (status != 403)
            {
                lost.Add($"{method} {path} with the publishable key answered {status}, not 403");
            }
        }

        attempts++;
        var manyKeys = Enumerable.Range(0, 21).ToDictionary(i => $"k{i}", i => $"v{i}");
        var (contextStatus, _) = await attacker.PostAsync("/flags/anything/check", new { company = manyKeys }, cancellationToken).ConfigureAwait(false);
        if (contextStatus != 400)
        {
            lost.Add($"a check context of 21 keys answered {contextStatus}, not 400");
        }

        var after = await DescribeAsync(secret, victimId, cancellationToken).ConfigureAwait(false);
        if (after != before)
        {
            lost.Add($"the victim company changed: {before} became {after}");
        }

        var (_, count) = await secret.GetAsync("/companies/count", cancellationToken).ConfigureAwait(false);
        var companies = count.GetProperty("data").GetProperty("count").GetInt64();
        if (companies != 1)
        {
            lost.Add($"{companies - 1} companies created by the publishable key");
        }

        await using var connection = await Lab.OpenAsync(store).ConfigureAwait(false);
        var billed = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(quantity), 0) FROM meter_outbox").ConfigureAwait(false);
        if (billed != 0)
        {
            lost.Add($"{billed} units of publishable-key usage reached the billing outbox");
        }

        return new CaseResult($"{attempts} abuse attempts with a publishable key (identify over keys, names, traits; new companies; 10^12 usage; management calls; 21-key context)", lost);
    }

    /// <summary>The parts of the company an attacker would want to change.</summary>
    private static async Task<string> DescribeAsync(Api secret, string companyId, CancellationToken cancellationToken)
    {
        var (_, answer) = await secret.GetAsync($"/companies/{companyId}", cancellationToken).ConfigureAwait(false);
        var company = answer.GetProperty("data");
        var keys = string.Join(",", company.GetProperty("keys").EnumerateArray().Select(k => $"{k.GetProperty("key").GetString()}={k.GetProperty("value").GetString()}").Order(StringComparer.Ordinal));
        return $"name={company.GetProperty("name").GetString()} keys={keys} traits={company.GetProperty("traits")}";
    }
}
