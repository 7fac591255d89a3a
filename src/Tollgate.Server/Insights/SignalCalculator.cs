using System.Globalization;
using Tollgate.Engine.Model;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Insights;

/// <summary>
/// Works out one company's signals from its entitlements (as a check sees them) and its stored counters. Limits are the
/// current ones, also when judging past days and periods: a limit raised last week makes the weeks before look fuller
/// than they were against the old one.
/// </summary>
internal sealed class SignalCalculator(InsightOptions options)
{
    /// <summary>What one company's signals rest on.</summary>
    public sealed record Input(
        CatalogSnapshot Catalog,
        CompanyRecord Company,
        IReadOnlyList<FeatureEntitlement> Entitlements,
        CompanyHistory History,
        DateTimeOffset Now,
        (long Amount, string Currency)? Mrr);

    /// <summary>The company's signals (at most one per kind: the strongest) and when they lapse without a write.</summary>
    public (List<CompanySignal> Signals, DateTimeOffset? StaleAt) Calculate(Input input)
    {
        var found = new Dictionary<string, CompanySignal>(StringComparer.Ordinal);
        var today = Midnight(input.Now);
        DateTimeOffset? staleAt = null;
        foreach (var entitlement in input.Entitlements.OrderBy(e => e.FeatureId, StringComparer.Ordinal))
        {
            Keep(found, CreditRunOut(input, entitlement, today));
            if (entitlement is not { EventName: { } subtype, Allocation: { } limit } || entitlement.ValueType != EntitlementValueType.Numeric)
            {
                continue;
            }

            var period = UsagePeriods.Of(entitlement.MetricPeriod, entitlement.MonthReset);
            staleAt = Earliest(staleAt, UsagePeriods.NextReset(period, input.Now, input.Company.Subscription));
            var used = entitlement.Usage ?? 0;
            var feature = new FeatureLimit(entitlement.FeatureId, entitlement.FeatureKey ?? entitlement.FeatureId, subtype, period, limit, used);
            Keep(found, OverUse(input, feature));
            Keep(found, Expansion(input, feature, today));
            Keep(found, UnderUse(input, feature));
        }

        foreach (var feature in input.Catalog.Features.Values.Where(f => f.EventSubtype is { } s && input.History.Subtypes.Contains(s)).OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            Keep(found, Falling(input, feature.Id, input.Catalog.FlagOf(feature.Id)?.Key ?? feature.Name, feature.EventSubtype!, today));
        }

        if (TrialState.Of(input.Company) is { IsActive: true, End: { } trialEnd })
        {
            var windowStart = trialEnd.AddDays(-options.TrialEndingDays);
            staleAt = Earliest(staleAt, windowStart > input.Now ? windowStart : trialEnd > input.Now ? trialEnd : null);
            Keep(found, TrialUnused(input, trialEnd));
        }

        // Trends move with every day: a company with recent usage or a signal is worked out again after midnight.
        var horizon = today - (2 * options.TrendDays * CompanyHistory.DayMs);
        if (found.Count > 0 || input.History.Subtypes.Any(s => input.History.Days(s, horizon, today + CompanyHistory.DayMs) > 0))
        {
            staleAt = Earliest(staleAt, DateTimeOffset.FromUnixTimeMilliseconds(today + CompanyHistory.DayMs));
        }

        return ([.. found.Values.Select(s => s with
        {
            CompanyId = input.Company.Id, CompanyName = input.Company.Name, PlanId = input.Company.BasePlanId,
            Mrr = input.Mrr?.Amount, Currency = input.Mrr?.Currency,
        })], staleAt);
    }

    private CompanySignal? OverUse(Input input, FeatureLimit f)
    {
        var ratio = Ratio(f.Used, f.Limit);
        var ended = CompanyHistory.EndedBuckets(f.Period, input.Now, input.Company.Subscription, options.OveragePeriods);
        var over = ended.Count(b => input.History.Value(f.Subtype, f.Period, b) > f.Limit);
        var repeated = over >= options.RepeatedOverages;
        if (ratio < 1 && !repeated)
        {
            return null;
        }

        var parts = new List<string>(2);
        if (ratio >= 1)
        {
            parts.Add(Text($"at {Percent(ratio)} of {f.Key}: {f.Used:N0} of {f.Limit:N0} {PeriodPhrase(f.Period)}"));
        }

        if (over > 0)
        {
            parts.Add(Text($"over the {f.Key} limit in {over} of the last {ended.Count} {PeriodNoun(f.Period, ended.Count)}"));
        }

        return new CompanySignal
        {
            Kind = SignalKinds.OverUsers, CompanyId = string.Empty, FeatureId = f.FeatureId,
            Score = Math.Max(ratio, repeated ? 1.0 : 0),
            Reason = string.Join("; ", parts),
            Evidence = new SignalEvidence
            {
                FeatureKey = f.Key, Period = PeriodName(f.Period), Usage = f.Used, Limit = f.Limit, Ratio = ratio, PeriodsOver = over, PeriodsLookedAt = ended.Count,
            },
        };
    }

    private CompanySignal? Expansion(Input input, FeatureLimit f, long today)
    {
        var ratio = Ratio(f.Used, f.Limit);
        if (ratio < options.NearLimitRatio)
        {
            return null;
        }

        var (recent, prior) = Trend(input.History, f.Subtype, today);
        var change = prior > 0 ? (recent - prior) * 100.0 / prior : (double?)null;
        var growing = change is { } c ? c >= options.GrowthPercent : recent > 0;
        if (!growing)
        {
            return null;
        }

        var near = 0;
        for (var back = 0; back < options.RecentDays; back++)
        {
            var day = today - (back * CompanyHistory.DayMs);
            if (Ratio(input.History.RunningAt(f.Subtype, f.Period, day, today, input.Company.Subscription), f.Limit) >= options.NearLimitRatio)
            {
                near++;
            }
        }

        var trend = change is { } pct
            ? Text($"usage up {pct:0}% month over month")
            : Text($"usage new in the last {options.TrendDays} days");
        return new CompanySignal
        {
            Kind = SignalKinds.Expansion, CompanyId = string.Empty, FeatureId = f.FeatureId, Score = ratio,
            Reason = Text($"used {Percent(ratio)} of {f.Key} ({f.Used:N0} of {f.Limit:N0} {PeriodPhrase(f.Period)}); at or above {Percent(options.NearLimitRatio)} on {near} of the last {options.RecentDays} days; {trend}"),
            Evidence = new SignalEvidence
            {
                FeatureKey = f.Key, Period = PeriodName(f.Period), Usage = f.Used, Limit = f.Limit, Ratio = ratio,
                DaysNearLimit = near, WindowDays = options.RecentDays, RecentUsage = recent, PriorUsage = prior, ChangePercent = change,
            },
        };
    }

    /// <summary>
    /// Expansion from credits: at the feature's burn of the last <see cref="InsightOptions.RecentDays"/> days (its use
    /// times its consumption rate, per day), what remains of the credit runs out before the billing period ends (the
    /// subscription's, else the calendar month). Needs the entitlement's balance (<c>credit_remaining</c>).
    /// </summary>
    private CompanySignal? CreditRunOut(Input input, FeatureEntitlement e, long today)
    {
        if (e is not { ValueType: EntitlementValueType.Credit, EventName: { } subtype, CreditRemaining: { } remaining, ConsumptionRate: > 0 and var rate })
        {
            return null;
        }

        var end = today + CompanyHistory.DayMs;
        var burnt = input.History.Days(subtype, end - (options.RecentDays * CompanyHistory.DayMs), end) * rate;
        var periodEnd = UsagePeriods.NextReset(UsagePeriod.MonthFromBillingAnchor, input.Now, input.Company.Subscription);
        if (burnt <= 0 || periodEnd is not { } periodEndsAt)
        {
            return null;
        }

        var perDay = burnt / options.RecentDays;
        var runsOutAt = input.Now.AddDays(Math.Max(remaining, 0) / perDay);
        if (runsOutAt >= periodEndsAt)
        {
            return null;
        }

        var key = e.FeatureKey ?? e.FeatureId;
        var early = (periodEndsAt - runsOutAt).TotalDays;
        var when = remaining <= 0
            ? Text($"the credits for {key} have run out")
            : Text($"the credits for {key} run out in {Math.Ceiling((runsOutAt - input.Now).TotalDays):0} {((runsOutAt - input.Now).TotalDays > 1 ? "days" : "day")} ({runsOutAt:yyyy-MM-dd})");
        return new CompanySignal
        {
            Kind = SignalKinds.Expansion, CompanyId = string.Empty, FeatureId = e.FeatureId,
            // Above any near-limit ratio below 1: a balance that ends before the period does is a limit reached in time.
            Score = 1 + (early / Math.Max((periodEndsAt - input.Now).TotalDays, 1)),
            Reason = Text($"{when}, {Math.Floor(early):0} days before the period ends ({periodEndsAt:yyyy-MM-dd}): {Math.Max(remaining, 0):N0} left, burning {perDay:N1} a day over the last {options.RecentDays} days"),
            Evidence = new SignalEvidence
            {
                FeatureKey = key, CreditRemaining = remaining, DailyBurn = perDay, WindowDays = options.RecentDays, RunsOutAt = runsOutAt, PeriodEndsAt = periodEndsAt,
            },
        };
    }

    private CompanySignal? UnderUse(Input input, FeatureLimit f)
    {
        if (f.Limit <= 0 || !Paying(input))
        {
            return null;
        }

        // One more ended period than judged: its end is the first judged period's start, which the company must predate.
        var ended = CompanyHistory.EndedBuckets(f.Period, input.Now, input.Company.Subscription, options.UnderUsePeriods + 1);
        if (ended.Count <= options.UnderUsePeriods || input.Company.CreatedAt.ToUnixTimeMilliseconds() > ended[^1])
        {
            return null;
        }

        var highest = ended.Take(options.UnderUsePeriods).Max(b => Ratio(input.History.Value(f.Subtype, f.Period, b), f.Limit));
        if (highest > options.UnderUseRatio)
        {
            return null;
        }

        return new CompanySignal
        {
            Kind = SignalKinds.UnderUsers, CompanyId = string.Empty, FeatureId = f.FeatureId, Score = 1 - highest,
            Reason = Text($"used at most {Percent(highest)} of {f.Key}'s {f.Limit:N0} {PeriodPhrase(f.Period).Replace("this", "a", StringComparison.Ordinal)} in each of the last {options.UnderUsePeriods} {PeriodNoun(f.Period, options.UnderUsePeriods)}"),
            Evidence = new SignalEvidence
            {
                FeatureKey = f.Key, Period = PeriodName(f.Period), Usage = f.Used, Limit = f.Limit, Ratio = Ratio(f.Used, f.Limit),
                HighestRatio = highest, PeriodsLookedAt = options.UnderUsePeriods,
            },
        };
    }

    private CompanySignal? Falling(Input input, string featureId, string key, string subtype, long today)
    {
        var (recent, prior) = Trend(input.History, subtype, today);
        if (prior < options.FallMinimum || recent > prior * (1 - (options.FallPercent / 100)))
        {
            return null;
        }

        var change = (recent - prior) * 100.0 / prior;
        return new CompanySignal
        {
            Kind = SignalKinds.AtRisk, CompanyId = string.Empty, FeatureId = featureId, Score = -change / 100,
            Reason = Text($"usage of {key} down {-change:0}% month over month ({prior:N0} → {recent:N0} in {options.TrendDays} days)"),
            Evidence = new SignalEvidence { FeatureKey = key, RecentUsage = recent, PriorUsage = prior, ChangePercent = change },
        };
    }

    private CompanySignal? TrialUnused(Input input, DateTimeOffset trialEnd)
    {
        if (trialEnd <= input.Now || trialEnd > input.Now.AddDays(options.TrialEndingDays)
            || input.History.Subtypes.Any(s => input.History.Value(s, UsagePeriod.AllTime, UsagePeriods.Forever) > 0))
        {
            return null;
        }

        var days = (int)Math.Ceiling((trialEnd - input.Now).TotalDays);
        return new CompanySignal
        {
            Kind = SignalKinds.AtRisk, CompanyId = string.Empty, Score = 1,
            Reason = Text($"trial ends in {days} {(days == 1 ? "day" : "days")} ({trialEnd:yyyy-MM-dd}) with no usage tracked"),
            Evidence = new SignalEvidence { TrialEndsAt = trialEnd, RecentUsage = 0 },
        };
    }

    /// <summary>Usage of the last trend window (today included) and of the window before it.</summary>
    private (long Recent, long Prior) Trend(CompanyHistory history, string subtype, long today)
    {
        var span = options.TrendDays * CompanyHistory.DayMs;
        var end = today + CompanyHistory.DayMs;
        return (history.Days(subtype, end - span, end), history.Days(subtype, end - (2 * span), end - span));
    }

    /// <summary>Paying: the subscription items are worth something, or a billing system shows a live subscription.</summary>
    private static bool Paying(Input input) =>
        input.Mrr is { Amount: > 0 } || input.Company.Billing is { Status: "active" or "past_due" or "unpaid" };

    private static void Keep(Dictionary<string, CompanySignal> found, CompanySignal? signal)
    {
        if (signal is not null && (!found.TryGetValue(signal.Kind, out var held) || signal.Score > held.Score))
        {
            found[signal.Kind] = signal;
        }
    }

    private static double Ratio(long used, long limit) => (double)used / Math.Max(limit, 1);

    private static long Midnight(DateTimeOffset at) => new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static string Percent(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(ratio * 100):0}%");

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string PeriodName(UsagePeriod period) => period switch
    {
        UsagePeriod.AllTime => "all_time",
        UsagePeriod.Day => "current_day",
        UsagePeriod.Week => "current_week",
        _ => "current_month",
    };

    private static string PeriodPhrase(UsagePeriod period) => period switch
    {
        UsagePeriod.AllTime => "in all",
        UsagePeriod.Day => "this day",
        UsagePeriod.Week => "this week",
        _ => "this month",
    };

    private static string PeriodNoun(UsagePeriod period, int count) => (period, count == 1) switch
    {
        (UsagePeriod.Day, true) => "day",
        (UsagePeriod.Day, false) => "days",
        (UsagePeriod.Week, true) => "week",
        (UsagePeriod.Week, false) => "weeks",
        (_, true) => "month",
        _ => "months",
    };

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private readonly record struct FeatureLimit(string FeatureId, string Key, string Subtype, UsagePeriod Period, long Limit, long Used);
}
