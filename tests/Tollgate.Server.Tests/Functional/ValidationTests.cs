using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Bad input gets a 4xx whose <c>{"error"}</c> names the field; never a 500.</summary>
public abstract class ValidationTests(TollgateFactory server)
{
    /// <summary>Every endpoint that takes a body, as method and path template.</summary>
    public static readonly (string Method, string Path)[] BodyEndpoints =
    [
        ("POST", "/environments"), ("POST", "/api-keys"),
        ("POST", "/features"), ("PUT", "/features/{feature}"), ("PUT", "/flags/{flag}/rules"), ("POST", "/trait-definitions"),
        ("POST", "/entity-trait-definitions"),
        ("POST", "/plans"), ("PUT", "/plans/{plan}"), ("POST", "/plan-entitlements"), ("PUT", "/plan-entitlements/{entitlement}"),
        ("POST", "/companies"), ("POST", "/companies/create"), ("PUT", "/company-plans/{company}"), ("POST", "/company-traits"),
        ("POST", "/users"), ("POST", "/users/create"), ("POST", "/company-overrides"), ("PUT", "/company-overrides/{override}"),
        ("POST", "/flags/{flag_key}/check"), ("POST", "/flags/check"), ("POST", "/flags/check-bulk"),
        ("POST", "/batch"), ("POST", "/events"), ("POST", "/event-batch"), ("POST", "/flags/api-calls/check-and-track"),
        ("PUT", "/billing/stripe/connection"),
        ("POST", "/billing/stripe/plan-versions/{plan_version}/push"), ("POST", "/billing/stripe/checkout-sessions"), ("POST", "/billing/stripe/portal-sessions"),
        ("POST", "/billing/stripe/subscription-changes"),
        ("POST", "/billing/meters"), ("POST", "/billing/meters/requeue"),
    ];

    /// <summary>Every list endpoint (each takes <c>limit</c> and <c>offset</c>).</summary>
    public static readonly string[] ListEndpoints =
        [
            "/features", "/flags", "/trait-definitions", "/entity-trait-definitions", "/plans", "/plan-entitlements", "/companies", "/users", "/company-overrides",
            "/audit-log",
        ];

    public static TheoryData<string, string, string, string> MissingOrInvalidFields => new()
    {
        { "POST", "/environments", "{}", "name" },
        { "POST", "/api-keys", "{}", "name" },
        { "POST", "/api-keys", """{"name":"k","kind":"root"}""", "kind" },
        { "POST", "/features", "{}", "name" },
        { "POST", "/features", """{"name":"x"}""", "feature_type" },
        { "POST", "/features", """{"name":"x","feature_type":"gadget"}""", "feature_type" },
        { "POST", "/features", """{"name":"x","feature_type":"event"}""", "event_subtype" },
        { "POST", "/features", """{"name":"x","feature_type":"trait"}""", "trait_id" },
        { "POST", "/features", """{"name":"x","feature_type":"boolean","flag":{"key":"UPPER"}}""", "flag.key" },
        { "POST", "/features", $$"""{"name":"{{new string('n', 501)}}","feature_type":"boolean"}""", "name" },
        { "PUT", "/features/{feature}", """{"name":""}""", "name" },
        { "PUT", "/flags/{flag}/rules", "{}", "rules" },
        { "POST", "/trait-definitions", "{}", "name" },
        { "POST", "/trait-definitions", """{"name":"t"}""", "entity_type" },
        { "POST", "/trait-definitions", """{"name":"t","entity_type":"company"}""", "comparable_type" },
        { "POST", "/plans", "{}", "name" },
        { "POST", "/plans", """{"name":"p","plan_type":"tier"}""", "plan_type" },
        { "PUT", "/plans/{plan}", """{"name":" "}""", "name" },
        { "POST", "/plan-entitlements", "{}", "plan_id" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}"}""", "feature_id" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}","feature_id":"{event_feature}"}""", "value_type" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}","feature_id":"{event_feature}","value_type":"gift"}""", "value_type" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}","feature_id":"{event_feature}","value_type":"boolean"}""", "value_bool" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}","feature_id":"{event_feature}","value_type":"numeric"}""", "value_numeric" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}","feature_id":"{event_feature}","value_type":"credit"}""", "value_credit_id" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}","feature_id":"{event_feature}","value_type":"numeric","value_numeric":1,"metric_period":"yearly"}""", "metric_period" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}","feature_id":"{event_feature}","value_type":"numeric","value_numeric":1,"metric_period":"current_month","metric_period_month_reset":"last_day"}""", "metric_period_month_reset" },
        { "PUT", "/plan-entitlements/{entitlement}", "{}", "value_type" },
        { "POST", "/companies", "{}", "keys" },
        { "POST", "/companies", """{"keys":{}}""", "keys" },
        { "POST", "/companies", """{"keys":{"id":""}}""", "keys.id" },
        { "POST", "/companies", $$$"""{"keys":{"id":"{{{new string('k', 501)}}}"}}""", "keys.id" },
        { "POST", "/companies", """{"keys":{"id":"a"},"traits":{"x":[1]}}""", "traits.x" },
        { "POST", "/companies", """{"keys":{"id":"a"},"base_plan_id":"plan_nope"}""", "base_plan_id" },
        { "POST", "/companies/create", "{}", "keys" },
        { "PUT", "/company-plans/{company}", """{"base_plan_id":"plan_nope"}""", "base_plan_id" },
        { "POST", "/company-traits", "{}", "keys" },
        { "POST", "/company-traits", """{"keys":{"id":"acme"}}""", "trait" },
        { "POST", "/company-traits", """{"keys":{"id":"acme"},"trait":"seats"}""", "set" },
        { "POST", "/users", "{}", "keys" },
        { "POST", "/users/create", "{}", "keys" },
        { "POST", "/users", """{"keys":{"email":"a@b.test"},"company_ids":["comp_nope"]}""", "company_ids[0]" },
        { "POST", "/users/create", """{"keys":{"email":" "}}""", "keys.email" },
        { "POST", "/company-overrides", "{}", "company_id" },
        { "POST", "/company-overrides", """{"company_id":"{company}"}""", "feature_id" },
        { "POST", "/company-overrides", """{"company_id":"{company}","feature_id":"{feature}"}""", "value_type" },
        { "POST", "/company-overrides", """{"company_id":"{company}","feature_id":"{feature}","value_type":"boolean"}""", "value_bool" },
        { "PUT", "/company-overrides/{override}", "{}", "value_type" },
        { "POST", "/flags/check-bulk", "{}", "contexts" },
        { "POST", "/flags/{flag_key}/check", """{"preflight":{"usage":-1}}""", "preflight.usage" },
    };

    public static TheoryData<string, string, string, string> WrongTypes => new()
    {
        { "POST", "/features", """{"name":5,"feature_type":"boolean"}""", "body.name" },
        { "POST", "/features", """{"name":"x","feature_type":"boolean","flag":{"default_value":"yes"}}""", "body.flag.default_value" },
        { "POST", "/plans", """{"name":["x"]}""", "body.name" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}","feature_id":"{event_feature}","value_type":"numeric","value_numeric":"ten"}""", "body.value_numeric" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}","feature_id":"{event_feature}","value_type":"numeric","value_numeric":1.5}""", "body.value_numeric" },
        { "POST", "/plan-entitlements", """{"plan_id":"{plan}","feature_id":"{event_feature}","value_type":"numeric","value_numeric":1,"warning_tiers":[{"key":1}]}""", "body.warning_tiers[0].key" },
        { "POST", "/companies", """{"keys":{"id":5}}""", "body.keys.id" },
        { "POST", "/companies", """{"keys":"acme"}""", "body.keys" },
        { "POST", "/company-overrides", """{"company_id":"{company}","feature_id":"{feature}","value_type":"boolean","value_bool":true,"expiration_date":"tomorrow"}""", "body.expiration_date" },
        { "PUT", "/flags/{flag}/rules", """{"rules":{"name":"x"}}""", "body.rules" },
        { "PUT", "/flags/{flag}/rules", """{"rules":[{"name":"x","value":true,"priority":"high"}]}""", "body.rules[0].priority" },
        { "POST", "/flags/{flag_key}/check", """{"company":"acme"}""", "body.company" },
        { "POST", "/flags/check", """{"preflight":{"usage":"1"}}""", "body.preflight.usage" },
        { "POST", "/flags/check-bulk", """{"contexts":[{"company":{"id":1}}]}""", "body.contexts[0].company.id" },
        { "POST", "/company-traits", """{"keys":{"id":"acme"},"trait":"x","incr":"1"}""", "body.incr" },
        { "POST", "/environments", """{"name":true}""", "body.name" },
        { "POST", "/api-keys", """{"name":"x","kind":1}""", "body.kind" },
        { "POST", "/features", "[]", "body" },
        { "POST", "/companies", "\"acme\"", "body" },
    };

    public static TheoryData<string> MalformedBodies => ["{", "[", """{"name":}""", "nul", """{"name":"x",}""", "{\"a\":1}{", "\u0001"];

    public static TheoryData<string, string> BadPaging => new()
    {
        { "limit=0", "limit" }, { "limit=1001", "limit" }, { "limit=abc", "limit" }, { "limit=-1", "limit" }, { "limit=1.5", "limit" },
        { "offset=-1", "offset" }, { "offset=x", "offset" }, { "limit=10&offset=99999999999", "offset" },
    };

    [Theory]
    [MemberData(nameof(MissingOrInvalidFields))]
    public async Task AMissingOrInvalidFieldIsAnswered400NamingIt(string method, string path, string body, string field)
    {
        var targets = await server.TargetsAsync();

        var response = await targets.Api.SendRawAsync(new HttpMethod(method), targets.Fill(path), targets.Fill(body));

        response.ShouldFail(HttpStatusCode.BadRequest, field);
        Assert.StartsWith(field, response.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task AValueOfTheWrongTypeIsAnswered400NamingItsPath(string method, string path, string body, string jsonPath)
    {
        var targets = await server.TargetsAsync();

        var response = await targets.Api.SendRawAsync(new HttpMethod(method), targets.Fill(path), targets.Fill(body));

        response.ShouldFail(HttpStatusCode.BadRequest, jsonPath);
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task MalformedJsonIsAnswered400OnEveryEndpointThatTakesABody(string body)
    {
        var targets = await server.TargetsAsync();

        foreach (var (method, path) in BodyEndpoints)
        {
            var response = await targets.Api.SendRawAsync(new HttpMethod(method), targets.Fill(path), body);
            if (response.Status != HttpStatusCode.BadRequest || !response.Error.StartsWith("body", StringComparison.Ordinal))
            {
                throw response.Fail("malformed JSON must be answered 400 with an error about the body");
            }
        }
    }

    [Fact]
    public async Task ABodyOverOneMebibyteIsAnswered413()
    {
        var targets = await server.TargetsAsync();
        var padding = new string('x', (1 << 20) + 1);

        foreach (var (method, path) in BodyEndpoints)
        {
            var response = await targets.Api.SendRawAsync(new HttpMethod(method), targets.Fill(path), $$"""{"name":"{{padding}}"}""");
            if (response.Status != HttpStatusCode.RequestEntityTooLarge || response.Error.Length == 0)
            {
                throw response.Fail("a body over 1 MiB must be answered 413 with an error");
            }
        }
    }

    [Fact]
    public async Task ABodyJustUnderTheLimitIsRead()
    {
        var targets = await server.TargetsAsync();
        var padding = new string(' ', (1 << 20) - 100);

        var response = await targets.Api.SendRawAsync(HttpMethod.Post, "/plans", $$"""{"name":"Padded"{{padding}}}""");

        response.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsAnswered415()
    {
        var targets = await server.TargetsAsync();

        var response = await targets.Api.SendRawAsync(HttpMethod.Post, "/plans", "name=Pro", "application/x-www-form-urlencoded");

        response.ShouldFail(HttpStatusCode.UnsupportedMediaType, "application/json");
    }

    [Fact]
    public async Task AMissingBodyIsAnswered400WhereOneIsRequired()
    {
        var targets = await server.TargetsAsync();

        foreach (var (method, path) in BodyEndpoints.Where(e => !e.Path.StartsWith("/flags/", StringComparison.Ordinal) || e.Path.EndsWith("bulk", StringComparison.Ordinal)))
        {
            var response = await targets.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), targets.Fill(path)));
            if (response.Status != HttpStatusCode.BadRequest)
            {
                throw response.Fail("a missing body must be answered 400");
            }
        }
    }

    [Theory]
    [MemberData(nameof(BadPaging))]
    public async Task BadPagingIsAnswered400NamingTheParameterOnEveryList(string query, string parameter)
    {
        var targets = await server.TargetsAsync();

        foreach (var list in ListEndpoints)
        {
            (await targets.Api.GetAsync($"{list}?{query}")).ShouldFail(HttpStatusCode.BadRequest, parameter);
        }
    }

    [Fact]
    public async Task TheLargestPageIsAThousand()
    {
        var targets = await server.TargetsAsync();

        foreach (var list in ListEndpoints)
        {
            var page = (await targets.Api.GetAsync($"{list}?limit=1000&offset=0")).ShouldBe(HttpStatusCode.OK);
            Assert.Equal(1000, page.Params.GetProperty("limit").GetInt32());
        }
    }
}

public sealed class ValidationTestsOnSqlite(SqliteServer server) : ValidationTests(server), IClassFixture<SqliteServer>;

public sealed class ValidationTestsOnPostgres(PostgresServer server) : ValidationTests(server), IClassFixture<PostgresServer>;
