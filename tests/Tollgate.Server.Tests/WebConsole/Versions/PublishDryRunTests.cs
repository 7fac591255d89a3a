using System.Net;
using System.Text.RegularExpressions;
using Tollgate.Server.Tests.Functional.PlanMigrations;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Operations;

namespace Tollgate.Server.Tests.WebConsole.Versions;

/// <summary>
/// The publish page's dry run (<c>?handler=Impact</c>) counts in the store instead of reading every company: its counts
/// are checked against a data set whose answer is known, with companies over a new limit, near it, under it through an
/// active override, and over it through an expired one (the expired overrides are read first and named to the count
/// statement, so no company is read one by one and no override's JSON is parsed in it).
/// </summary>
public abstract partial class PublishDryRunTests(TollgateFactory server)
{
    [Fact]
    public async Task TheDryRunCountsCompaniesOverTheNewLimitsAndAnActiveOverrideKeepsACompanyUnder()
    {
        var s = await PricingScenario.CreateAsync(server);
        using var console = await OperationsConsole.InAsync(server, s.Api.EnvironmentId!);
        // Pro v1: api-calls 1,000 a month, seats 10. The draft: api-calls 100 a month, seats 5.
        var usage = new Dictionary<string, (int Seats, long Calls)>
        {
            ["over-calls"] = (1, 150),
            ["near-calls"] = (1, 90),
            ["over-both"] = (7, 120),
            ["over-seats"] = (8, 0),
            ["kept-under"] = (1, 500),
            ["expired-deal"] = (1, 130),
        };
        var ids = new Dictionary<string, string>();
        foreach (var (key, (seats, calls)) in usage)
        {
            ids[key] = await s.CompanyAsync(key, s.Pro, seats);
            if (calls > 0)
            {
                await Events.SendAsync(s.Api, Events.Track("api_call", key, calls));
            }
        }

        await s.CompanyAsync("on-starter", s.Starter, seats: 9);
        await Events.SendAsync(s.Api, Events.Track("api_call", "on-starter", 900));
        await Given.OverrideAsync(s.Api, new { companyId = ids["kept-under"], featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 1000, metricPeriod = "current_month", note = "deal" });
        await Given.OverrideAsync(s.Api, new
        {
            companyId = ids["expired-deal"], featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 1000, metricPeriod = "current_month",
            expirationDate = server.Time.GetUtcNow().AddDays(-1), note = "ended",
        });
        foreach (var (key, (_, calls)) in usage.Where(u => u.Value.Calls > 0))
        {
            await Events.EventuallyAsync(() => s.CheckAsync("api-calls", key), d => d.GetProperty("feature_usage").GetInt64() == calls);
        }

        var draft = await DraftAsync(s, calls: 100, seats: 5);

        var impact = WebUtility.HtmlDecode(await console.PageAsync($"/console/plans/{s.Pro}/versions/{draft}/publish?handler=Impact"));

        Assert.Equal("4", Stat(impact, "impact-over"));
        Assert.Contains("api-calls (3), seats (2)", impact, StringComparison.Ordinal);
        Assert.Equal("0", Stat(impact, "impact-billing"));
        Assert.Equal("0", Stat(impact, "impact-fail"));
        Assert.Contains("<span class=\"muted\">6</span>", impact, StringComparison.Ordinal);
        Assert.Equal(6, SampleRows().Matches(impact).Count);
        Assert.Contains("over api-calls: 150 / 100", impact, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 130 / 100", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("over api-calls: 500", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("over api-calls: 90", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("over api-calls: 900", impact, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDryRunSamplesTenCompaniesAndCountsEveryOneThatWouldMove()
    {
        var s = await PricingScenario.CreateAsync(server);
        using var console = await OperationsConsole.InAsync(server, s.Api.EnvironmentId!);
        for (var i = 0; i < 12; i++)
        {
            await s.CompanyAsync($"co-{i:D2}", s.Pro, seats: i);
        }

        var draft = await DraftAsync(s, calls: 1000, seats: 5);

        var impact = WebUtility.HtmlDecode(await console.PageAsync($"/console/plans/{s.Pro}/versions/{draft}/publish?handler=Impact"));

        Assert.Equal("6", Stat(impact, "impact-over"));
        Assert.Contains("first 10 of 12", impact, StringComparison.Ordinal);
        Assert.Equal(10, SampleRows().Matches(impact).Count);
    }

    [Fact]
    public async Task TheDryRunCountsOnlyThisPeriodsCountersOfCompaniesOnTheVersion()
    {
        var s = await PricingScenario.CreateAsync(server);
        using var console = await OperationsConsole.InAsync(server, s.Api.EnvironmentId!);
        var now = server.Time.GetUtcNow();
        var lastMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddDays(-5);
        // Over the draft's 100: only "over-now". "last-month" was over in last month's bucket only; the others are over
        // this month but on Starter or Enterprise, whose counters the count's range of counters over 100 also holds.
        await s.CompanyAsync("over-now", s.Pro, seats: 1);
        await s.CompanyAsync("last-month", s.Pro, seats: 1);
        await s.CompanyAsync("starter-heavy", s.Starter, seats: 1);
        await s.CompanyAsync("enterprise-heavy", s.Enterprise, seats: 1, seatLimit: 50);
        await Events.SendAsync(s.Api,
            Events.Track("api_call", "over-now", 150),
            Events.Track("api_call", "last-month", 5_000, sentAt: lastMonth, trustedClock: true),
            Events.Track("api_call", "last-month", 20),
            Events.Track("api_call", "starter-heavy", 5_000),
            Events.Track("api_call", "enterprise-heavy", 5_000));
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "over-now"), d => d.GetProperty("feature_usage").GetInt64() == 150);
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "last-month"), d => d.GetProperty("feature_usage").GetInt64() == 20);
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "starter-heavy"), d => d.GetProperty("feature_usage").GetInt64() == 5_000);

        var draft = await DraftAsync(s, calls: 100, seats: 5);

        var impact = WebUtility.HtmlDecode(await console.PageAsync($"/console/plans/{s.Pro}/versions/{draft}/publish?handler=Impact"));

        Assert.Equal("1", Stat(impact, "impact-over"));
        Assert.Contains("api-calls (1)", impact, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 150 / 100", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("over api-calls: 20 / 100", impact, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyOverriddenCompaniesOverALimitAreDecidedOneByOneAndEachIsCountedOnce()
    {
        var s = await PricingScenario.CreateAsync(server);
        using var console = await OperationsConsole.InAsync(server, s.Api.EnvironmentId!);
        var yesterday = server.Time.GetUtcNow().AddDays(-1);
        // The draft: api-calls 100 a month, seats 5. Each company has an override of a changed feature, so each is left
        // out of that feature's count; only those over the limit of a feature they have an override of are read again.
        var usage = new Dictionary<string, (int Seats, long Calls, string Feature, bool Expired)>
        {
            ["expired-under"] = (1, 50, s.ApiCalls, true),
            ["expired-over-both"] = (7, 140, s.ApiCalls, true),
            ["active-over-seats"] = (8, 300, s.ApiCalls, false),
            ["seats-deal-ended"] = (9, 0, s.Seats, true),
        };
        foreach (var (key, (seats, calls, feature, expired)) in usage)
        {
            var id = await s.CompanyAsync(key, s.Pro, seats);
            if (calls > 0)
            {
                await Events.SendAsync(s.Api, Events.Track("api_call", key, calls));
            }

            var deal = new Dictionary<string, object> { ["company_id"] = id, ["feature_id"] = feature, ["value_type"] = "numeric", ["value_numeric"] = 1000, ["note"] = "deal" };
            if (feature == s.ApiCalls)
            {
                deal["metric_period"] = "current_month";
            }

            if (expired)
            {
                deal["expiration_date"] = yesterday;
            }

            await Given.OverrideAsync(s.Api, deal);
        }

        foreach (var (key, (_, calls, _, _)) in usage.Where(u => u.Value.Calls > 0))
        {
            await Events.EventuallyAsync(() => s.CheckAsync("api-calls", key), d => d.GetProperty("feature_usage").GetInt64() == calls);
        }

        var draft = await DraftAsync(s, calls: 100, seats: 5);

        var impact = WebUtility.HtmlDecode(await console.PageAsync($"/console/plans/{s.Pro}/versions/{draft}/publish?handler=Impact"));

        Assert.Equal("3", Stat(impact, "impact-over"));
        Assert.Contains("api-calls (1), seats (3)", impact, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 140 / 100", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("over api-calls: 300", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("over api-calls: 50", impact, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOverrideOfAnUnchangedFeatureKeepsNoCompanyUnderAndAnExpiryIsComparedAsAnInstant()
    {
        var s = await PricingScenario.CreateAsync(server);
        using var console = await OperationsConsole.InAsync(server, s.Api.EnvironmentId!);
        var now = server.Time.GetUtcNow();
        // The draft: api-calls 100 a month, seats 5 (seats is a trait limit). Expiries are sent with offsets other than
        // UTC's (the API keeps the instant; the count compares instants, not text). Over: "sso-deal" (its override is of sso, which the draft does not
        // change), "ended-west" (its deal ended an hour ago, written at UTC-8) and "seats-sso-deal" (seats, through a trait
        // limit; its override is of sso). Not over: "until-east" (active until tomorrow, written at UTC+5), "seats-deal-later"
        // (a seats override active for another week).
        var companies = new Dictionary<string, (int Seats, long Calls, string? Feature, DateTimeOffset? Expires)>
        {
            ["sso-deal"] = (1, 150, s.Sso, null),
            ["ended-west"] = (1, 160, s.ApiCalls, now.AddHours(-1).ToOffset(TimeSpan.FromHours(-8))),
            ["until-east"] = (1, 170, s.ApiCalls, now.AddDays(1).ToOffset(TimeSpan.FromHours(5))),
            ["seats-sso-deal"] = (8, 0, s.Sso, now.AddDays(3)),
            ["seats-deal-later"] = (9, 0, s.Seats, now.AddDays(7)),
        };
        foreach (var (key, (seats, calls, feature, expires)) in companies)
        {
            var id = await s.CompanyAsync(key, s.Pro, seats);
            if (calls > 0)
            {
                await Events.SendAsync(s.Api, Events.Track("api_call", key, calls));
            }

            var deal = new Dictionary<string, object> { ["company_id"] = id, ["feature_id"] = feature!, ["note"] = "deal" };
            if (feature == s.Sso)
            {
                (deal["value_type"], deal["value_bool"]) = ("boolean", true);
            }
            else
            {
                (deal["value_type"], deal["value_numeric"]) = ("numeric", 1000);
            }

            if (feature == s.ApiCalls)
            {
                deal["metric_period"] = "current_month";
            }

            if (expires is { } at)
            {
                deal["expiration_date"] = at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);
            }

            await Given.OverrideAsync(s.Api, deal);
        }

        foreach (var (key, (_, calls, _, _)) in companies.Where(c => c.Value.Calls > 0))
        {
            await Events.EventuallyAsync(() => s.CheckAsync("api-calls", key), d => d.GetProperty("feature_usage").GetInt64() == calls);
        }

        var draft = await DraftAsync(s, calls: 100, seats: 5);

        var impact = WebUtility.HtmlDecode(await console.PageAsync($"/console/plans/{s.Pro}/versions/{draft}/publish?handler=Impact"));

        Assert.Equal("3", Stat(impact, "impact-over"));
        Assert.Contains("api-calls (2), seats (1)", impact, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 150 / 100", impact, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 160 / 100", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("over api-calls: 170", impact, StringComparison.Ordinal);
    }

    /// <summary>
    /// Which overrides are active is decided at each dry run's instant from the overrides as they are then (the expired
    /// ones are read first and named to the count): an override that passes its expiry between two dry runs stops keeping
    /// its company under, an override added after the first dry run keeps its company under in the next, a deleted one no
    /// longer does, and a company with an ended deal beside a live one of the same feature stays under throughout.
    /// </summary>
    [Fact]
    public async Task EachDryRunLeavesOutTheCompaniesWithAnOverrideActiveAtItsInstant()
    {
        var s = await PricingScenario.CreateAsync(server);
        using var console = await OperationsConsole.InAsync(server, s.Api.EnvironmentId!);
        var now = server.Time.GetUtcNow();
        var calls = new Dictionary<string, long> { ["expires-soon"] = 150, ["ended-and-live"] = 160, ["deal-later"] = 170, ["deal-deleted"] = 180 };
        var ids = new Dictionary<string, string>();
        foreach (var (key, used) in calls)
        {
            ids[key] = await s.CompanyAsync(key, s.Pro, seats: 1);
            await Events.SendAsync(s.Api, Events.Track("api_call", key, used));
        }

        Task<string> DealAsync(string key, DateTimeOffset? expires)
        {
            var deal = new Dictionary<string, object>
            {
                ["company_id"] = ids[key], ["feature_id"] = s.ApiCalls, ["value_type"] = "numeric", ["value_numeric"] = 1000, ["metric_period"] = "current_month", ["note"] = "deal",
            };
            if (expires is { } at)
            {
                deal["expiration_date"] = at;
            }

            return Given.OverrideAsync(s.Api, deal);
        }

        await DealAsync("expires-soon", now.AddHours(1));
        await DealAsync("ended-and-live", now.AddDays(-1));
        await DealAsync("ended-and-live", null);
        var deleted = await DealAsync("deal-deleted", null);
        foreach (var (key, used) in calls)
        {
            await Events.EventuallyAsync(() => s.CheckAsync("api-calls", key), d => d.GetProperty("feature_usage").GetInt64() == used);
        }

        var draft = await DraftAsync(s, calls: 100, seats: 5);
        var dryRun = $"/console/plans/{s.Pro}/versions/{draft}/publish?handler=Impact";

        var before = WebUtility.HtmlDecode(await console.PageAsync(dryRun));

        Assert.Equal("1", Stat(before, "impact-over"));
        Assert.Contains("api-calls (1)", before, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 170 / 100", before, StringComparison.Ordinal);

        await DealAsync("deal-later", null);
        (await s.Api.DeleteAsync($"/company-overrides/{deleted}")).ShouldBe(HttpStatusCode.OK);
        server.Time.Advance(TimeSpan.FromHours(2));

        var after = WebUtility.HtmlDecode(await console.PageAsync(dryRun));

        Assert.Equal("2", Stat(after, "impact-over"));
        Assert.Contains("api-calls (2)", after, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 150 / 100", after, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 180 / 100", after, StringComparison.Ordinal);
        Assert.DoesNotContain("over api-calls: 160", after, StringComparison.Ordinal);
        Assert.DoesNotContain("over api-calls: 170", after, StringComparison.Ordinal);
    }

    /// <summary>
    /// A new limit whose month resets on each company's billing anchor is compared with each company's current counter
    /// of that period (its first after now), read inside the counters' join on PostgreSQL and the tagged set on SQLite.
    /// </summary>
    [Fact]
    public async Task ALimitWhoseMonthResetsOnTheBillingAnchorComparesEachCompanysCurrentCounter()
    {
        var s = await PricingScenario.CreateAsync(server);
        using var console = await OperationsConsole.InAsync(server, s.Api.EnvironmentId!);
        var calls = new Dictionary<string, long> { ["anchor-over"] = 150, ["anchor-under"] = 90 };
        foreach (var (key, used) in calls)
        {
            await s.CompanyAsync(key, s.Pro, seats: 1);
            await Events.SendAsync(s.Api, Events.Track("api_call", key, used));
        }

        foreach (var (key, used) in calls)
        {
            await Events.EventuallyAsync(() => s.CheckAsync("api-calls", key), d => d.GetProperty("feature_usage").GetInt64() == used);
        }

        var draft = await DraftAsync(s, calls: 100, seats: 5, monthReset: "billing_cycle");

        var impact = WebUtility.HtmlDecode(await console.PageAsync($"/console/plans/{s.Pro}/versions/{draft}/publish?handler=Impact"));

        Assert.Equal("1", Stat(impact, "impact-over"));
        Assert.Contains("api-calls (1)", impact, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 150 / 100", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("over api-calls: 90", impact, StringComparison.Ordinal);
    }

    /// <summary>
    /// Companies on two origin versions: each version's count runs beside the other's and beside the sample, and the
    /// counts add up. A limit is new only against the version a company is on: from v1 the draft lowers seats (10 → 5)
    /// and api-calls (1,000 → 100); from v2 (seats 5 already, api-calls 2,000) only api-calls.
    /// </summary>
    [Fact]
    public async Task CompaniesOnEveryOriginVersionAreCountedAgainstTheLimitsNewToTheirVersion()
    {
        var s = await PricingScenario.CreateAsync(server);
        using var console = await OperationsConsole.InAsync(server, s.Api.EnvironmentId!);
        var onV1 = await s.CompanyAsync("on-v1", s.Pro, seats: 7);
        var (v1, v2) = await MigrationGiven.ProVersionTwoAsync(s);
        var onV2 = await s.CompanyAsync("on-v2", s.Pro, seats: 7);
        Assert.Equal([v1], await MigrationGiven.VersionIdsAsync(s.Api, onV1));
        Assert.Equal([v2], await MigrationGiven.VersionIdsAsync(s.Api, onV2));
        await Events.SendAsync(s.Api, Events.Track("api_call", "on-v1", 150), Events.Track("api_call", "on-v2", 160));
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "on-v1"), d => d.GetProperty("feature_usage").GetInt64() == 150);
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "on-v2"), d => d.GetProperty("feature_usage").GetInt64() == 160);

        var draft = await DraftAsync(s, calls: 100, seats: 5);

        var impact = WebUtility.HtmlDecode(await console.PageAsync($"/console/plans/{s.Pro}/versions/{draft}/publish?handler=Impact"));

        Assert.Equal("2", Stat(impact, "impact-over"));
        Assert.Contains("api-calls (2), seats (1)", impact, StringComparison.Ordinal);
        Assert.Equal(2, SampleRows().Matches(impact).Count);
        Assert.Contains("over api-calls: 150 / 100", impact, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 160 / 100", impact, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two event limits lowered at once: each limit's companies over it are read apart and matched with the version's
    /// directory rows, so a company over both counts once over any limit and once for each; a company over a limit on
    /// another plan counts for neither.
    /// </summary>
    [Fact]
    public async Task ACompanyOverTwoEventLimitsCountsOnceOverAnyAndOnceForEach()
    {
        var s = await PricingScenario.CreateAsync(server);
        using var console = await OperationsConsole.InAsync(server, s.Api.EnvironmentId!);
        var exports = await Given.EventFeatureAsync(s.Api, "exports", "export");
        await Given.EntitlementAsync(s.Api, new { planId = s.Pro, featureId = exports, valueType = "numeric", valueNumeric = 1000, metricPeriod = "current_month" });
        // The draft: api-calls 100, exports 50 (seats 10 → 50: over by nobody).
        var usage = new Dictionary<string, (long Calls, long Exports)>
        {
            ["over-both"] = (150, 60),
            ["over-calls"] = (120, 10),
            ["over-exports"] = (10, 70),
            ["under-both"] = (90, 40),
        };
        foreach (var (key, (calls, exported)) in usage)
        {
            await s.CompanyAsync(key, s.Pro, seats: 1);
            await Events.SendAsync(s.Api, Events.Track("api_call", key, calls), Events.Track("export", key, exported));
        }

        await s.CompanyAsync("starter-heavy", s.Starter, seats: 1);
        await Events.SendAsync(s.Api, Events.Track("api_call", "starter-heavy", 500), Events.Track("export", "starter-heavy", 500));
        foreach (var (key, (calls, exported)) in usage)
        {
            await Events.EventuallyAsync(() => s.CheckAsync("api-calls", key), d => d.GetProperty("feature_usage").GetInt64() == calls);
            await Events.EventuallyAsync(() => s.CheckAsync("exports", key), d => d.GetProperty("feature_usage").GetInt64() == exported);
        }

        // Both of its events came in one batch: once its api calls are counted, so are its exports.
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "starter-heavy"), d => d.GetProperty("feature_usage").GetInt64() == 500);
        var draft = await DraftAsync(s, calls: 100, seats: 50);
        var entitlements = (await s.Api.GetAsync($"/plan-entitlements?plan_id={s.Pro}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray();
        var draftExports = entitlements.Single(e => e.GetProperty("plan_version_id").GetString() == draft && e.GetProperty("feature_id").GetString() == exports).GetProperty("id").GetString();
        (await s.Api.PutAsync($"/plan-entitlements/{draftExports}", new { valueType = "numeric", valueNumeric = 50, metricPeriod = "current_month" })).ShouldBe(HttpStatusCode.OK);

        var impact = WebUtility.HtmlDecode(await console.PageAsync($"/console/plans/{s.Pro}/versions/{draft}/publish?handler=Impact"));

        Assert.Equal("3", Stat(impact, "impact-over"));
        Assert.Contains("api-calls (2), exports (2)", impact, StringComparison.Ordinal);
        Assert.Contains("<span class=\"muted\">4</span>", impact, StringComparison.Ordinal);
        Assert.Contains("over api-calls: 150 / 100", impact, StringComparison.Ordinal);
        Assert.Contains("over exports: 60 / 50", impact, StringComparison.Ordinal);
        Assert.Contains("over exports: 70 / 50", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("over exports: 40", impact, StringComparison.Ordinal);
    }

    /// <summary>A draft of Pro with new limits for api-calls (a month, reset on the first unless <paramref name="monthReset"/> says otherwise) and seats.</summary>
    private static async Task<string> DraftAsync(PricingScenario s, long calls, long seats, string monthReset = "first_of_month")
    {
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        var entitlements = (await s.Api.GetAsync($"/plan-entitlements?plan_id={s.Pro}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Where(e => e.GetProperty("plan_version_id").GetString() == draft).ToList();
        string IdOf(string featureId) => entitlements.Single(e => e.GetProperty("feature_id").GetString() == featureId).GetProperty("id").GetString()!;
        (await s.Api.PutAsync($"/plan-entitlements/{IdOf(s.ApiCalls)}", new { valueType = "numeric", valueNumeric = calls, metricPeriod = "current_month", metricPeriodMonthReset = monthReset })).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PutAsync($"/plan-entitlements/{IdOf(s.Seats)}", new { valueType = "numeric", valueNumeric = seats })).ShouldBe(HttpStatusCode.OK);
        return draft;
    }

    private static string Stat(string html, string id) =>
        Regex.Match(html, $"id=\"{id}\"[^>]*><div class=\"label\">[^<]*</div><div class=\"value\">([^<]*)</div>").Groups[1].Value;

    [GeneratedRegex("<th scope=\"row\"><a href=\"/console/companies/")]
    private static partial Regex SampleRows();
}

public sealed class PublishDryRunTestsOnSqlite(SqliteServer server) : PublishDryRunTests(server), IClassFixture<SqliteServer>;

public sealed class PublishDryRunTestsOnPostgres(PostgresServer server) : PublishDryRunTests(server), IClassFixture<PostgresServer>;
