using Dapper;
using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Insights;

/// <summary>
/// Schematic's <c>/insights/*</c> answers and Tollgate's signal lists. Every query reads an index range or tallies: the
/// environment's daily totals for the series, the signal rows of one list page, the tallies of migration 50 for the
/// summary's revenue and grants and the lists' counts, the directory's tallies per plan and month for growth — never
/// every company.
/// </summary>
internal sealed class InsightService(
    CompanySignalStore signals,
    InsightRefresher refresher,
    RuntimeRegistry runtimes,
    ResourceStore store,
    AuditLog audit,
    CreditService credits,
    CompanyDirectory directory,
    TimeProvider time)
{
    /// <summary>How long a read waits for changes its node has heard of to be worked out.</summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(2);

    private const long DayMs = 86_400_000;

    /// <summary>One page of a signal list, strongest first.</summary>
    public async Task<IReadOnlyList<CompanySignal>> ListAsync(string environmentId, string kind, Paging paging, CancellationToken cancellationToken)
    {
        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        return await signals.ListAsync(environmentId, KindOf(kind), paging.Limit, paging.Offset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many companies a signal list holds.</summary>
    public async Task<long> CountAsync(string environmentId, string kind, CancellationToken cancellationToken)
    {
        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        return await signals.CountAsync(environmentId, KindOf(kind), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The summary: companies, paying companies and their MRR per currency, features, plans, credit grants.</summary>
    public async Task<InsightsSummaryResponse> SummaryAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var (mrr, paying) = await signals.RevenueAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var companies = await directory.TotalAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var grants = await credits.CountGrantsAsync(scope, null, null, cancellationToken).ConfigureAwait(false);
        return new InsightsSummaryResponse(grants, [.. mrr.Select(m => new MrrResponse(m.Amount, m.Currency))], paying, companies, catalog.Features.Count, catalog.Plans.Count);
    }

    /// <summary>The newest management writes.</summary>
    public async Task<ActivityResponse> ActivityAsync(string environmentId, int limit, CancellationToken cancellationToken)
    {
        var entries = await audit.ListAsync(environmentId, null, null, limit, 0, cancellationToken).ConfigureAwait(false);
        return new ActivityResponse([.. entries.Select(AuditLogResponse.From).Select(e => new ActivityEntryResponse(
            e.UserName ?? (e.ActorType == AuditLogResponse.ApiKeyActor ? "API key" : e.ActorType),
            e.Method,
            e.ResourceName ?? e.ResourceIdString,
            e.ResourceType,
            e.CreatedAt,
            $"{e.Action} {e.ResourceType}"))]);
    }

    /// <summary>Event features by usage in [<paramref name="from"/>, <paramref name="until"/>), with the window of the same length before.</summary>
    public async Task<TopFeaturesResponse> TopFeaturesAsync(string environmentId, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var (start, end) = (DayOf(from), DayOf(until.AddMilliseconds(-1)) + DayMs);
        var now = await TotalsAsync(environmentId, null, start, end, cancellationToken).ConfigureAwait(false);
        var before = await TotalsAsync(environmentId, null, start - (end - start), start, cancellationToken).ConfigureAwait(false);
        var features = catalog.Features.Values.Where(f => f.FeatureType == FeatureType.Event && f.EventSubtype is not null).Select(f =>
        {
            var usage = now.Where(t => t.Subtype == f.EventSubtype).Sum(t => t.Value);
            var prior = before.Where(t => t.Subtype == f.EventSubtype).Sum(t => t.Value);
            return new TopFeatureResponse(f.Id, f.Name, null, usage, prior, prior > 0 ? Math.Round((usage - prior) * 100.0 / prior, 1) : null);
        });
        return new TopFeaturesResponse([.. features.OrderByDescending(f => f.Usage).ThenBy(f => f.FeatureId, StringComparer.Ordinal).Take(limit)]);
    }

    /// <summary>
    /// Companies on each base plan at the end of each of the last <paramref name="months"/> months (the current month:
    /// now): those on the plan now that were created by then (plan moves before now are not replayed). Added up from the
    /// directory's tallies per plan and month of creation, so a request reads a few rows per plan and month, not the
    /// plan's companies.
    /// </summary>
    public async Task<PlanGrowthResponse> PlanGrowthAsync(string environmentId, int months, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var tallies = (await directory.PlanMonthsAsync(environmentId, cancellationToken).ConfigureAwait(false)).ToLookup(t => t.PlanId, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var thisMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var points = new List<PlanGrowthPointResponse>();
        foreach (var plan in catalog.Plans.Values.Where(p => p.PlanType == PlanType.Plan).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            for (var back = months - 1; back >= 0; back--)
            {
                var month = thisMonth.AddMonths(-back);

                // "YYYY-MM" sorts as the months do: the companies created in this month or before.
                var key = MonthKey(month);
                var subscribers = tallies[plan.Id].Where(t => string.CompareOrdinal(t.Month, key) <= 0).Sum(t => t.Companies);
                points.Add(new PlanGrowthPointResponse(month, plan.Id, plan.Name, subscribers));
            }
        }

        return new PlanGrowthResponse(points);
    }

    private static string MonthKey(DateTimeOffset month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An event feature's usage, summed over companies, per day, week (Sunday) or calendar month.</summary>
    public async Task<FeatureUsageTimeSeriesResponse> FeatureSeriesAsync(
        string environmentId, string featureId, DateTimeOffset from, DateTimeOffset until, string granularity, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Features.TryGetValue(featureId, out var feature))
        {
            throw new RequestException(StatusCodes.Status404NotFound, "feature_id: feature not found");
        }

        if (feature.EventSubtype is not { } subtype)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, "feature_id: the feature counts no events (an event feature has a usage series)");
        }

        var totals = await TotalsAsync(environmentId, subtype, DayOf(from), DayOf(until.AddMilliseconds(-1)) + DayMs, cancellationToken).ConfigureAwait(false);
        var points = new SortedDictionary<DateTimeOffset, long>();
        for (var bucket = BucketStart(from, granularity); bucket < until; bucket = Next(bucket, granularity))
        {
            points[bucket] = 0;
        }

        foreach (var (_, day, value) in totals)
        {
            var bucket = BucketStart(DateTimeOffset.FromUnixTimeMilliseconds(day), granularity);
            points[bucket] = CheckedSum(points.GetValueOrDefault(bucket), value);
        }

        return new FeatureUsageTimeSeriesResponse(subtype, featureId, [.. points.Select(p => new UsagePointResponse(p.Key, p.Value))]);
    }

    /// <summary>
    /// A trait feature's value summed over companies. Trait values are kept as they are now, without history: the series
    /// holds one point, the bucket containing now, when the window contains it (none otherwise). The sum (whole-number
    /// values only) is the company directory's total for the trait, kept as its rows are written: one row read, however
    /// many companies.
    /// </summary>
    public async Task<TraitUsageTimeSeriesResponse> TraitSeriesAsync(
        string environmentId, string featureId, DateTimeOffset from, DateTimeOffset until, string granularity, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Features.TryGetValue(featureId, out var feature))
        {
            throw new RequestException(StatusCodes.Status404NotFound, "feature_id: feature not found");
        }

        if (feature.TraitId is not { } traitId || !catalog.TraitsById.TryGetValue(traitId, out var trait))
        {
            throw new RequestException(StatusCodes.Status400BadRequest, "feature_id: the feature is not held in a trait (a trait feature has a trait usage series)");
        }

        var now = time.GetUtcNow();
        if (now < from || now >= until)
        {
            return new TraitUsageTimeSeriesResponse(featureId, [], traitId);
        }

        var total = await directory.TraitTotalAsync(environmentId, trait.Name, cancellationToken).ConfigureAwait(false);
        var sum = total >= long.MaxValue ? long.MaxValue : total <= long.MinValue ? long.MinValue : (long)total;
        return new TraitUsageTimeSeriesResponse(featureId, [new UsagePointResponse(BucketStart(now, granularity), sum)], traitId);
    }

    private async Task<List<(string Subtype, long Day, long Value)>> TotalsAsync(string environmentId, string? subtype, long fromDay, long untilDay, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, long, long)>(new CommandDefinition(
            $"""
            SELECT event_subtype, day, value FROM usage_daily_totals
            WHERE environment_id = @environmentId AND day >= @fromDay AND day < @untilDay {(subtype is null ? string.Empty : "AND event_subtype = @subtype")}
            """,
            new { environmentId, subtype, fromDay, untilDay },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    private static string KindOf(string kind) =>
        SignalKinds.All.Contains(kind, StringComparer.Ordinal) ? kind : throw new RequestException(StatusCodes.Status404NotFound, $"kind: no signal list '{kind}' (one of {string.Join(", ", SignalKinds.All)})");

    private static long DayOf(DateTimeOffset at) => new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static DateTimeOffset BucketStart(DateTimeOffset at, string granularity)
    {
        var day = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        return granularity switch
        {
            "weekly" => day.AddDays(-(int)day.DayOfWeek),
            "monthly" => new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => day,
        };
    }

    private static DateTimeOffset Next(DateTimeOffset bucket, string granularity) => granularity switch
    {
        "weekly" => bucket.AddDays(7),
        "monthly" => bucket.AddMonths(1),
        _ => bucket.AddDays(1),
    };

    private static long CheckedSum(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;
}
