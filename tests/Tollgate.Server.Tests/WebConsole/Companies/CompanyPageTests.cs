using System.Net;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Companies;

/// <summary>
/// The company page over HTTP: usage against limit moves with tracked events, overrides with a note and an expiry
/// change checks and expire at their instant with no write, plan changes and credit grants go through the API's
/// services and the audit log names the console user, errors sit next to their field, and a viewer cannot write.
/// </summary>
public abstract class CompanyPageTests(TollgateFactory server)
{
    [Fact]
    public async Task TrackedEventsMoveTheLimitBarAndTheChart()
    {
        var (s, company, console) = await SetUpAsync("usage-co", ConsoleRole.Support);
        await Events.SendAsync(s.Api, Events.Track("api_call", "usage-co", 700));
        var before = await console.PageAsync($"/console/companies/{company}");

        await Events.SendAsync(s.Api, Events.Track("api_call", "usage-co", 150));
        var after = await console.PageAsync($"/console/companies/{company}");
        var daily = await console.PageAsync($"/console/companies/{company}?granularity=day");

        Assert.Contains("700 of 1,000 (70%)", before, StringComparison.Ordinal);
        Assert.Contains("limit-bar limit-bar--ok", before, StringComparison.Ordinal);
        Assert.Contains("850 of 1,000 (85%)", after, StringComparison.Ordinal);
        Assert.Contains("limit-bar limit-bar--near", after, StringComparison.Ordinal);
        Assert.Contains("Limit 1,000", after, StringComparison.Ordinal);
        Assert.Contains("<td>850</td>", after, StringComparison.Ordinal);
        // By day, the running total of the month meets the monthly limit.
        Assert.Contains("Total this month", daily, StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", daily, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOverrideWithANoteAndAnExpiryChangesTheCheckAndExpiresAtItsInstant()
    {
        var (s, company, console) = await SetUpAsync("override-co", ConsoleRole.Support, plan: "starter");
        Assert.False((await s.CheckAsync("sso", "override-co")).GetProperty("value").GetBoolean());
        var expiry = server.Time.GetUtcNow().AddHours(2);

        using var response = await console.PostFormAsync(
            $"/console/companies/{company}?handler=Override",
            new()
            {
                ["Override.FeatureId"] = s.Sso, ["Override.ValueType"] = "on", ["Override.Ends"] = "date",
                ["Override.ExpiresAt"] = expiry.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                ["Override.Note"] = "Trial of SSO for the Acme deal",
            },
            $"/console/companies/{company}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await Events.EventuallyAsync(() => s.CheckAsync("sso", "override-co"), c => c.GetProperty("value").GetBoolean());
        var page = await console.PageAsync($"/console/companies/{company}");
        Assert.Contains("Trial of SSO for the Acme deal", page, StringComparison.Ordinal);
        Assert.Contains("badge info\">temporary", page, StringComparison.Ordinal);

        // No write ends it: the clock passing its instant does.
        server.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(5));
        Assert.False((await s.CheckAsync("sso", "override-co")).GetProperty("value").GetBoolean());
        var later = await console.PageAsync($"/console/companies/{company}");
        Assert.Contains("<span class=\"badge\">expired</span>", later, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AThirtyDayPresetEndsTheOverrideThirtyDaysFromNowAndOnADateWithoutADateIsRefusedAtItsField()
    {
        var (s, company, console) = await SetUpAsync("preset-co", ConsoleRole.Support, plan: "starter");
        var before = server.Time.GetUtcNow();

        using var preset = await console.PostFormAsync(
            $"/console/companies/{company}?handler=Override",
            new() { ["Override.FeatureId"] = s.Sso, ["Override.ValueType"] = "on", ["Override.Ends"] = "30", ["Override.Note"] = "SSO trial for the pilot" },
            $"/console/companies/{company}");
        using var noDate = await console.PostFormAsync(
            $"/console/companies/{company}?handler=Override",
            new() { ["Override.FeatureId"] = s.Sso, ["Override.ValueType"] = "on", ["Override.Ends"] = "date" },
            $"/console/companies/{company}");

        Assert.Equal(HttpStatusCode.Redirect, preset.StatusCode);
        var stored = (await s.Api.GetAsync($"/company-overrides?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single();
        var ends = stored.GetProperty("expiration_date").GetDateTimeOffset();
        Assert.InRange(ends, before.AddDays(30), before.AddDays(30).AddSeconds(5));
        Assert.Equal("SSO trial for the pilot", stored.GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noDate.StatusCode);
        Assert.Matches("data-valmsg-for=\"Override.ExpiresAt\"[^>]*>Choose the date", await noDate.Content.ReadAsStringAsync());
        var page = await console.PageAsync($"/console/companies/{company}");
        Assert.Contains("Temporary access", page, StringComparison.Ordinal);
        Assert.Contains("ends in 30 days", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanChangesAndCreditGrantsGoThroughTheServicesAndAreAuditedUnderTheConsoleUser()
    {
        var (s, company, console) = await SetUpAsync("plan-co", ConsoleRole.Support, plan: "starter");
        var credit = (await s.Api.PostAsync("/billing/credits", new { name = "AI tokens" })).ShouldBe(HttpStatusCode.Created).Id;

        using var plan = await console.PostFormAsync($"/console/companies/{company}?handler=Plan", new() { ["Plan.BasePlanId"] = s.Pro }, $"/console/companies/{company}");
        using var grant = await console.PostFormAsync(
            $"/console/companies/{company}?handler=Credits",
            new() { ["Grant.CreditId"] = credit!, ["Grant.Quantity"] = "250", ["Grant.Kind"] = "free", ["Grant.Note"] = "Goodwill" },
            $"/console/companies/{company}");

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (plan.StatusCode, grant.StatusCode));
        // Ids are case-sensitive: the forms post to, and redirect back to, the company's id as it is.
        Assert.Equal($"/console/companies/{company}", plan.Headers.Location?.OriginalString);
        Assert.Contains($"action=\"/console/companies/{company}?handler=Plan\"", await console.PageAsync($"/console/companies/{company}"), StringComparison.Ordinal);
        var stored = (await s.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(s.Pro, stored.GetProperty("plan").GetProperty("id").GetString());
        var balance = (await s.Api.GetAsync($"/billing/credits/balance?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(250, balance.EnumerateArray().Single().GetProperty("remaining").GetDouble());
        var audit = (await s.Api.GetAsync($"/audit-log?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Contains(audit.EnumerateArray(), e => e.GetRawText().Contains("Support Person", StringComparison.Ordinal));
        var page = await console.PageAsync($"/console/companies/{company}");
        Assert.Contains("Goodwill", page, StringComparison.Ordinal);
        Assert.Contains(">250<", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorFromTheServiceIsShownNextToItsFieldAndAViewerCannotWrite()
    {
        var (s, company, console) = await SetUpAsync("error-co", ConsoleRole.Support);
        var (_, _, viewer) = await SetUpAsync("viewer-co", ConsoleRole.Viewer, environmentOf: s);

        using var missing = await console.PostFormAsync($"/console/companies/{company}?handler=Override", new() { ["Override.ValueType"] = "on" }, $"/console/companies/{company}");
        var html = await missing.Content.ReadAsStringAsync();
        var viewerPage = await viewer.PageAsync($"/console/companies/{company}");
        // The viewer's page has no forms: the token comes from a page of its own account.
        using var refused = await viewer.PostFormAsync($"/console/companies/{company}?handler=Plan", new() { ["Plan.BasePlanId"] = s.Starter }, "/console/account");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Matches("data-valmsg-for=\"Override.FeatureId\"[^>]*>[^<]+<", html);
        Assert.DoesNotContain("handler=Plan", viewerPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var stored = (await s.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(s.Pro, stored.GetProperty("plan").GetProperty("id").GetString());
    }

    [Fact]
    public async Task AnUnknownCompanyIsNotFound()
    {
        var (_, _, console) = await SetUpAsync("nf-co", ConsoleRole.Viewer);

        using var response = await console.GetAsync("/console/companies/comp_missing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The pricing scenario in its own environment, a company on Pro (or Starter), and a console user of the role looking at that environment.</summary>
    private async Task<(PricingScenario S, string Company, ConsoleHttp Console)> SetUpAsync(string key, ConsoleRole role, string plan = "pro", PricingScenario? environmentOf = null)
    {
        var s = environmentOf ?? await PricingScenario.CreateAsync(server);
        var company = environmentOf is null ? await s.CompanyAsync(key, plan == "pro" ? s.Pro : s.Starter, seats: 2) : string.Empty;
        var user = await ConsoleUsers.CreateAsync(server, role);
        var console = await ConsoleHttp.SignInAsync(server, user.Email);
        // The layout's switcher form carries no antiforgery token of its own (an explicit action attribute turns the tag
        // helper's token off); any console form's token is valid for it.
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = s.Api.EnvironmentId!, ["returnUrl"] = "/console" }, "/console/account");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        return (s, company, console);
    }
}

/// <summary>On SQLite.</summary>
public sealed class CompanyPageTestsOnSqlite(SqliteServer server) : CompanyPageTests(server), IClassFixture<SqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class CompanyPageTestsOnPostgres(PostgresServer server) : CompanyPageTests(server), IClassFixture<PostgresServer>;
