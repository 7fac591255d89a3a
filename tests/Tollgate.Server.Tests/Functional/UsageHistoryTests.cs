using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Environments;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// The usage history the console charts: buckets summed in SQL from the event log equal the tracked events (boundaries,
/// several features, other companies), and the current period's sum equals the counter checks read.
/// </summary>
public abstract class UsageHistoryTests(TollgateFactory server)
{
    private static readonly DateTimeOffset Today = new(2025, 6, 11, 0, 0, 0, TimeSpan.Zero);

    // Each sits exactly on or one millisecond before a day, week (Sunday 8 June) or month boundary.
    private static readonly (DateTimeOffset At, long Quantity)[] ApiCalls =
    [
        (Today, 3),
        (Today.AddMilliseconds(-1), 5),
        (new(2025, 6, 8, 0, 0, 0, TimeSpan.Zero), 7),
        (new DateTimeOffset(2025, 6, 8, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(-1), 11),
        (new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), 13),
        (new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(-1), 17),
        (new(2025, 5, 1, 0, 0, 0, TimeSpan.Zero), 19),
        (new(2025, 4, 30, 12, 0, 0, TimeSpan.Zero), 23),
        (new(2024, 7, 1, 0, 0, 0, TimeSpan.Zero), 2),
        (new DateTimeOffset(2024, 7, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(-1), 1000),
    ];

    [Fact]
    public async Task BucketsEqualTheTrackedEventsOnEveryBoundaryAndTheCurrentPeriodEqualsTheCounter()
    {
        var (s, _, company, scope, history) = await ScenarioAsync();
        var now = server.Time.GetUtcNow();
        var events = ApiCalls.Append((now, 29)).ToArray();

        var daily = await history.ForFeatureAsync(scope, company, s.ApiCalls, UsageGranularity.Day, 30, CancellationToken.None);
        var weekly = await history.ForFeatureAsync(scope, company, s.ApiCalls, UsageGranularity.Week, 12, CancellationToken.None);
        var monthly = await history.ForFeatureAsync(scope, company, s.ApiCalls, UsageGranularity.Month, 12, CancellationToken.None);

        Assert.Equal(Expected(events, Enumerable.Range(0, 31).Select(i => Today.AddDays(i - 29))), Actual(daily));
        var sunday = new DateTimeOffset(2025, 6, 8, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(Expected(events, Enumerable.Range(0, 13).Select(i => sunday.AddDays(7 * (i - 11)))), Actual(weekly));
        var june = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(Expected(events, Enumerable.Range(0, 13).Select(i => june.AddMonths(i - 11))), Actual(monthly));
        Assert.Equal([32L, 5L], daily.Buckets.TakeLast(2).Select(b => b.Usage).Reverse());
        Assert.Equal(2, monthly.Buckets[0].Usage);

        // The month of the limit: 3 + 5 + 7 + 11 + 13 + 29, in the log, in the counter and in the check.
        Assert.Equal(68, monthly.CurrentPeriodUsage);
        Assert.Equal(68, monthly.CounterUsage);
        Assert.Equal((june, june.AddMonths(1)), (monthly.CurrentPeriodStart, monthly.CurrentPeriodEnd));
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "history"), c => c.GetProperty("feature_usage").GetInt64() == 68);
        Assert.All(new[] { daily, weekly, monthly }, h => Assert.Equal((68L, 68L), (h.CurrentPeriodUsage, h.CounterUsage)));
        Assert.Equal((1000L, 800L, "current_month", "numeric"), (monthly.Limit!.Value, monthly.SoftLimit!.Value, monthly.LimitPeriod, monthly.AllocationType));
        Assert.True(monthly.BucketIsLimitPeriod);
        Assert.False(daily.BucketIsLimitPeriod);
    }

    [Fact]
    public async Task EveryMeteredFeatureHasItsOwnHistoryAndLimitPeriod()
    {
        var (s, _, company, scope, history) = await ScenarioAsync();

        var all = await history.ForCompanyAsync(scope, company, UsageGranularity.Day, 7, CancellationToken.None);

        var byName = all.ToDictionary(h => h.FeatureName);
        Assert.Equal(["ai-credits", "api-calls", "exports"], byName.Keys.Order(StringComparer.Ordinal));
        var exports = byName["exports"];
        Assert.Equal([0L, 0L, 0L, 0L, 31L, 0L, 41L], exports.Buckets.Select(b => b.Usage));
        Assert.Equal((72L, 72L, 50L, "current_week"), (exports.CurrentPeriodUsage, exports.CounterUsage, exports.Limit!.Value, exports.LimitPeriod));
        Assert.Equal(new DateTimeOffset(2025, 6, 8, 0, 0, 0, TimeSpan.Zero), exports.CurrentPeriodStart);
        Assert.Equal("credit", byName["ai-credits"].AllocationType);
        Assert.Equal(32, byName["api-calls"].Buckets[^1].Usage);
        Assert.Equal(s.ApiCalls, byName["api-calls"].FeatureId);
    }

    [Fact]
    public async Task AnotherCompanysEventsAndOtherSubtypesAreLeftOut()
    {
        var (s, exportsFeature, _, scope, history) = await ScenarioAsync();
        var other = await s.CompanyAsync("history-other", s.Pro, seats: 1);
        await Events.SendAsync(
            s.Api,
            Events.Track("export", "history-other", 500, sentAt: Today, trustedClock: true),
            Events.Track("api_call", "history-other", 1000, sentAt: Today.AddHours(2), trustedClock: true));

        var apiCalls = await history.ForFeatureAsync(scope, other, s.ApiCalls, UsageGranularity.Day, 3, CancellationToken.None);
        var exports = await history.ForFeatureAsync(scope, other, exportsFeature, UsageGranularity.Day, 3, CancellationToken.None);

        Assert.Equal([0L, 0L, 1000L], apiCalls.Buckets.Select(b => b.Usage));
        Assert.Equal([0L, 0L, 500L], exports.Buckets.Select(b => b.Usage));
        Assert.Equal(1000, apiCalls.CounterUsage);
    }

    [Fact]
    public async Task AFeatureThatIsNotMeteredOrACountOutOfRangeIsRefusedByField()
    {
        var (s, _, company, scope, history) = await ScenarioAsync();

        var notMetered = await Assert.ThrowsAsync<Requests.RequestException>(() => history.ForFeatureAsync(scope, company, s.Sso, UsageGranularity.Day, 3, CancellationToken.None));
        var tooMany = await Assert.ThrowsAsync<Requests.RequestException>(() => history.ForFeatureAsync(scope, company, s.ApiCalls, UsageGranularity.Day, 401, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<Requests.RequestException>(() => history.ForFeatureAsync(scope, "comp_missing", s.ApiCalls, UsageGranularity.Day, 3, CancellationToken.None));

        Assert.StartsWith("feature_id:", notMetered.Message, StringComparison.Ordinal);
        Assert.StartsWith("count:", tooMany.Message, StringComparison.Ordinal);
        Assert.Equal("company not found", missing.Message);
    }

    /// <summary>The pricing scenario with an <c>exports</c> feature (50 a week on Pro), company <c>history</c> on Pro with its events, and another company's.</summary>
    private async Task<(PricingScenario S, string Exports, string Company, RequestScope Scope, UsageHistory History)> ScenarioAsync()
    {
        var s = await PricingScenario.CreateAsync(server);
        var exports = await Given.EventFeatureAsync(s.Api, "exports", "export");
        await Given.EntitlementAsync(s.Api, new { planId = s.Pro, featureId = exports, valueType = "numeric", valueNumeric = 50, metricPeriod = "current_week" });
        var company = await s.CompanyAsync("history", s.Pro, seats: 1);
        await s.CompanyAsync("history-noise", s.Pro, seats: 1);
        var tracks = ApiCalls.Select(e => (object)Events.Track("api_call", "history", e.Quantity, sentAt: e.At, trustedClock: true, backfill: e.At < Today.AddDays(-40) ? true : null))
            .Append(Events.Track("api_call", "history", 29))
            .Append(Events.Track("export", "history", 31, sentAt: Today.AddDays(-2), trustedClock: true))
            .Append(Events.Track("export", "history", 41, sentAt: Today.AddHours(1), trustedClock: true))
            // Another company's events in the same buckets must not count.
            .Append(Events.Track("api_call", "history-noise", 1000, sentAt: Today, trustedClock: true))
            .Append(Events.Track("api_call", "history-noise", 1000, sentAt: Today.AddDays(-10), trustedClock: true))
            .ToArray();
        await Events.SendAsync(s.Api, tracks);
        var scope = new RequestScope(s.Api.EnvironmentId!, s.Api.KeyId!, ApiKeyKind.Secret);
        return (s, exports, company, scope, server.Services.GetRequiredService<UsageHistory>());
    }

    private static List<(DateTimeOffset Start, long Usage)> Expected((DateTimeOffset At, long Quantity)[] events, IEnumerable<DateTimeOffset> boundaries)
    {
        var b = boundaries.ToList();
        return [.. b.Take(b.Count - 1).Select((start, i) => (start, events.Where(e => e.At >= start && e.At < b[i + 1]).Sum(e => e.Quantity)))];
    }

    private static List<(DateTimeOffset Start, long Usage)> Actual(FeatureUsageHistory history) => [.. history.Buckets.Select(b => (b.Start, b.Usage))];
}

/// <summary>On SQLite.</summary>
public sealed class UsageHistoryTestsOnSqlite(SqliteServer server) : UsageHistoryTests(server), IClassFixture<SqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class UsageHistoryTestsOnPostgres(PostgresServer server) : UsageHistoryTests(server), IClassFixture<PostgresServer>;
