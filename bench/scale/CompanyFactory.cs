using System.Globalization;
using System.Text.Json;
using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Scale;

/// <summary>
/// Makes one company and everything under it, as the server would have stored it had the company been created through
/// the API, its users identified, an override granted, a trial started and its usage tracked: the documents are the
/// server's own records serialized with <see cref="StoredJson"/>, plan versions come from
/// <see cref="CompanyPlanVersions.Assign"/>, and the usage counters are summed from the generated events with the
/// server's bucket function (<see cref="UsagePeriods.BucketOf"/>) for all five periods, so events and counters agree.
/// </summary>
internal sealed class CompanyFactory(CatalogSnapshot catalog, CatalogIds ids, string environmentId, string apiKeyId, ScaleOptions options, DateTimeOffset now)
{
    // Shares of the data set (see README): the base-plan mix of companies not trialing, and the usage classes.
    private static readonly double[] PlanShares = [0.55, 0.25, 0.15, 0.05];
    private const double TrialShare = 0.03;
    private const double OverrideShare = 0.05;
    private const double LimitedShare = 0.95; // Enterprise (5%) has no API-call limit; over and near are drawn among the rest.
    private const double OverShare = 0.04 / LimitedShare;
    private const double NearShare = 0.08 / LimitedShare;

    private static readonly string[] Adjectives = ["Bright", "North", "Blue", "Quiet", "Rapid", "Silver", "Golden", "Clear", "Bold", "Green", "Iron", "Swift", "Lucky", "Open", "True", "Red", "Deep", "Prime", "Happy", "Solid"];
    private static readonly string[] Nouns = ["Harbor", "Pine", "River", "Summit", "Falcon", "Maple", "Beacon", "Orbit", "Cedar", "Anchor", "Lantern", "Meadow", "Bridge", "Comet", "Forge", "Willow", "Atlas", "Canyon", "Ember", "Tide"];
    private static readonly string[] Suffixes = ["Labs", "Analytics", "Software", "Systems", "Health", "Logistics", "Studio", "Cloud", "Foods", "Media"];
    private static readonly string[] Industries = ["software", "retail", "healthcare", "finance", "education", "logistics", "media", "manufacturing"];
    private static readonly string[] FirstNames = ["Ana", "Ben", "Chen", "Dana", "Eli", "Fatima", "Goran", "Hana", "Ivan", "Jo", "Kai", "Lena", "Mo", "Nia", "Omar", "Priya"];

    private readonly long _monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private readonly long _now = now.ToUnixTimeMilliseconds();

    public CompanyFacts Add(RowBatch batch, Random random, int index)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"co-{index:D7}");
        var name = $"{Pick(random, Adjectives)} {Pick(random, Nouns)} {Pick(random, Suffixes)}";
        var domain = string.Create(CultureInfo.InvariantCulture, $"{name.ToLowerInvariant().Replace(' ', '-')}-{index}.example");
        var id = Ids.New("comp");
        var createdAt = _now - (long)(random.NextDouble() * 365 * Day) - Day;
        var trialing = random.NextDouble() < TrialShare;
        var tier = trialing ? 2 : Draw(random, PlanShares);
        var shape = ScaleCatalog.BasePlans[tier];
        var planId = ids.BasePlanIds[tier];
        List<string> addOns = [];
        if (tier is 1 or 2 && random.NextDouble() < 0.10)
        {
            addOns.Add(ids.AddOnIds[0]);
        }

        if (tier >= 1 && random.NextDouble() < 0.08)
        {
            addOns.Add(ids.AddOnIds[1]);
        }

        CompanyTrial? trial = null;
        if (trialing)
        {
            var started = _now - (long)(random.NextDouble() * 13 * Day);
            trial = new CompanyTrial
            {
                SubscriptionId = Ids.New("bilsub"),
                PlanId = planId,
                PreviousPlanId = ids.BasePlanIds[0],
                ExpiryPlanId = ids.BasePlanIds[0],
                StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(started),
                EndsAt = DateTimeOffset.FromUnixTimeMilliseconds(started + (14 * Day)),
                Status = TrialStatuses.Active,
            };
        }

        var subscription = tier >= 1 && !trialing ? Subscription(createdAt) : null;

        // An active override: a raised API-call limit for a sales deal, or SSO granted ahead of an upgrade.
        long? apiLimit = shape.ApiCalls;
        CompanyOverrideRecord? grant = null;
        if (random.NextDouble() < OverrideShare)
        {
            var raise = apiLimit is not null && random.NextDouble() < 0.4;
            var granted = DateTimeOffset.FromUnixTimeMilliseconds(_now - (long)(random.NextDouble() * 60 * Day));
            grant = new CompanyOverrideRecord
            {
                Id = Ids.New("cmov"),
                CompanyId = id,
                FeatureId = raise ? ids.ApiCallsFeatureId : ids.SsoFeatureId,
                ValueType = raise ? EntitlementValueKind.Numeric : EntitlementValueKind.Boolean,
                ValueBool = raise ? null : true,
                ValueNumeric = raise ? apiLimit * 3 : null,
                MetricPeriod = raise ? MetricPeriod.CurrentMonth : null,
                MetricPeriodMonthReset = raise ? MonthReset.FirstOfMonth : null,
                ExpirationDate = random.NextDouble() < 0.2 ? null : DateTimeOffset.FromUnixTimeMilliseconds(_now + (long)((7 + (random.NextDouble() * 83)) * Day)),
                Note = raise ? "Annual deal: 3x API calls while they migrate" : "SSO for the security review, before the Enterprise upgrade",
                CreatedAt = granted,
                UpdatedAt = granted,
            };
            apiLimit = raise ? apiLimit * 3 : apiLimit;
        }

        var apiUsage = ApiUsage(random, apiLimit);
        var exportUsage = shape.Exports is { } exportLimit ? (long)(exportLimit * 0.5 * random.NextDouble()) : random.Next(0, 2_000);

        var created = DateTimeOffset.FromUnixTimeMilliseconds(createdAt);
        var lastSeen = DateTimeOffset.FromUnixTimeMilliseconds(_now - (long)(random.NextDouble() * 3 * Day));
        var seats = shape.Seats is { } maxSeats ? random.Next(1, (int)maxSeats + 1) : random.Next(20, 500);
        var company = new CompanyRecord
        {
            Id = id,
            Name = name,
            Keys = new Dictionary<string, string> { ["id"] = key, ["domain"] = domain },
            Traits = new Dictionary<string, JsonElement>
            {
                ["seats"] = JsonSerializer.SerializeToElement(seats),
                ["region"] = JsonSerializer.SerializeToElement(Draw(random, [0.5, 0.35, 0.15]) switch { 0 => "us", 1 => "eu", _ => "apac" }),
                ["beta"] = JsonSerializer.SerializeToElement(random.NextDouble() < 0.1),
                ["industry"] = JsonSerializer.SerializeToElement(Pick(random, Industries)),
                ["employees"] = JsonSerializer.SerializeToElement(seats * random.Next(2, 40)),
            },
            BasePlanId = planId,
            AddOnIds = addOns,
            Subscription = subscription,
            Trial = trial,
            CreatedAt = created,
            UpdatedAt = trial?.StartedAt ?? created,
            LastSeenAt = lastSeen,
        };
        company = CompanyPlanVersions.Assign(catalog, null, company, created);

        batch.Add(BulkTable.Resources, environmentId, ResourceKinds.Company, id, null, null, StoredJson.Serialize(company), createdAt, company.UpdatedAt.ToUnixTimeMilliseconds());
        AddKeys(batch, EntityKeys.Company, id, company.Keys);
        Audit(batch, ResourceKinds.Company, id, id, company, createdAt);
        if (trial is not null)
        {
            batch.Add(BulkTable.CompanyTrials, environmentId, id, trial.SubscriptionId, trial.Status, trial.EndsAt.ToUnixTimeMilliseconds());
        }

        if (grant is not null)
        {
            var at = grant.CreatedAt.ToUnixTimeMilliseconds();
            batch.Add(BulkTable.Resources, environmentId, ResourceKinds.CompanyOverride, grant.Id, null, id, StoredJson.Serialize(grant), at, at);
            Audit(batch, ResourceKinds.CompanyOverride, grant.Id, id, grant, at);
        }

        var users = Users(batch, random, id, domain, createdAt);
        Usage(batch, random, id, key, subscription, createdAt, users, apiUsage, exportUsage);

        return new CompanyFacts(
            id, key, name, planId, addOns, trialing, apiUsage, apiLimit, exportUsage, grant?.FeatureId, [.. users.Select(u => u.Email)]);
    }

    private const long Day = 86_400_000;

    /// <summary>This month's API calls: over the limit, near it (80% or more), or below, in the data set's shares.</summary>
    private static long ApiUsage(Random random, long? limit)
    {
        if (limit is not { } l)
        {
            return (long)(200_000 * random.NextDouble() * random.NextDouble());
        }

        var draw = random.NextDouble();
        return draw < OverShare ? l + 1 + (long)(l * 0.5 * random.NextDouble())
            : draw < OverShare + NearShare ? (long)Math.Ceiling(l * 0.8) + (long)((l - 1 - Math.Ceiling(l * 0.8)) * random.NextDouble())
            : (long)(l * 0.79 * random.NextDouble() * random.NextDouble());
    }

    private List<(string Id, string Email)> Users(RowBatch batch, Random random, string companyId, string domain, long companyCreated)
    {
        var count = random.Next(1, 4);
        var users = new List<(string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var first = Pick(random, FirstNames);
            var email = string.Create(CultureInfo.InvariantCulture, $"{first.ToLowerInvariant()}{i}@{domain}");
            var created = companyCreated + (long)(random.NextDouble() * Math.Max(1, _now - companyCreated));
            var user = new UserRecord
            {
                Id = Ids.New("user"),
                Name = first,
                Keys = new Dictionary<string, string> { ["email"] = email },
                Traits = new Dictionary<string, JsonElement> { ["role"] = JsonSerializer.SerializeToElement(i == 0 ? "admin" : "member") },
                CompanyIds = [companyId],
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(created),
                UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(created),
                LastSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(_now - (long)(random.NextDouble() * 10 * Day)),
            };
            batch.Add(BulkTable.Resources, environmentId, ResourceKinds.User, user.Id, null, null, StoredJson.Serialize(user), created, created);
            AddKeys(batch, EntityKeys.User, user.Id, user.Keys);
            Audit(batch, ResourceKinds.User, user.Id, null, user, created);
            users.Add((user.Id, email));
        }

        return users;
    }

    /// <summary>
    /// The company's events: this month's API calls and exports split over a few events since the first of the month,
    /// the rest of <see cref="ScaleOptions.EventsPerCompany"/> earlier API calls over the history; and the counters they sum to.
    /// </summary>
    private void Usage(
        RowBatch batch, Random random, string companyId, string key, SubscriptionPeriod? subscription, long createdAt, List<(string Id, string Email)> users,
        long apiUsage, long exportUsage)
    {
        var budget = options.EventsPerCompany;
        if (budget <= 0)
        {
            return;
        }

        var events = new List<(long At, string Subtype, long Quantity, int User)>(budget);
        var monthFrom = Math.Max(_monthStart, createdAt);
        var exportEvents = exportUsage > 0 && budget >= 2 ? 1 : 0;
        var currentApiEvents = apiUsage > 0 ? Math.Max(1, (int)Math.Round((budget - exportEvents) * 0.4)) : 0;
        var historyFrom = Math.Max(createdAt, _now - (options.HistoryDays * Day));
        var historyEvents = historyFrom < _monthStart ? budget - exportEvents - currentApiEvents : 0;
        Split(events, random, CatalogIds.ApiCallSubtype, apiUsage, currentApiEvents, monthFrom, _now, users.Count);
        Split(events, random, CatalogIds.ExportSubtype, exportEvents > 0 ? exportUsage : 0, exportEvents, monthFrom, _now, users.Count);
        var historyScale = Math.Max(apiUsage, 100);
        Split(events, random, CatalogIds.ApiCallSubtype, historyScale * historyEvents / Math.Max(1, currentApiEvents), historyEvents, historyFrom, _monthStart, users.Count);

        var counters = new Dictionary<(string Subtype, UsagePeriod Period, long Bucket), long>();
        foreach (var (at, subtype, quantity, user) in events.OrderBy(e => e.At))
        {
            var userId = users[user].Id;
            var body = $$"""{"event":"{{subtype}}","company":{"id":"{{key}}"},"user":{"email":"{{users[user].Email}}"},"quantity":{{quantity.ToString(CultureInfo.InvariantCulture)}}}""";
            batch.Add(BulkTable.Events, environmentId, "track", subtype, companyId, userId, quantity, at, at, 0, null, body);
            var instant = DateTimeOffset.FromUnixTimeMilliseconds(at);
            foreach (var period in UsagePeriods.All)
            {
                var bucket = (subtype, period, UsagePeriods.BucketOf(period, instant, subscription));
                counters[bucket] = counters.GetValueOrDefault(bucket) + quantity;
            }
        }

        foreach (var ((subtype, period, bucket), value) in counters)
        {
            batch.Add(BulkTable.UsageCounters, environmentId, companyId, subtype, (int)period, bucket, value);
        }
    }

    /// <summary>Splits <paramref name="total"/> over <paramref name="count"/> events at random instants of [from, to).</summary>
    private static void Split(List<(long, string, long, int)> events, Random random, string subtype, long total, int count, long from, long to, int users)
    {
        if (count <= 0 || total <= 0 || to <= from)
        {
            return;
        }

        count = (int)Math.Min(count, total);
        var left = total;
        for (var i = 0; i < count; i++)
        {
            var quantity = i == count - 1 ? left : Math.Max(1, Math.Min(left - (count - 1 - i), (long)(total / (double)count * (0.5 + random.NextDouble()))));
            left -= quantity;
            events.Add((from + (long)(random.NextDouble() * (to - from - 1)), subtype, quantity, random.Next(users)));
        }
    }

    /// <summary>A monthly subscription anchored on the day the company was created (days 29-31 fold into 28): the period holding now.</summary>
    private SubscriptionPeriod Subscription(long createdAt)
    {
        var anchor = Math.Min(DateTimeOffset.FromUnixTimeMilliseconds(createdAt).Day, 28);
        var start = new DateTimeOffset(now.Year, now.Month, anchor, 0, 0, 0, TimeSpan.Zero);
        start = start > now ? start.AddMonths(-1) : start;
        return new SubscriptionPeriod(Ids.New("sub"), start, start.AddMonths(1));
    }

    private void AddKeys(RowBatch batch, string entityType, string entityId, IReadOnlyDictionary<string, string> keys)
    {
        foreach (var (k, v) in keys)
        {
            batch.Add(BulkTable.EntityKeys, environmentId, entityType, k, v, entityId);
        }
    }

    private void Audit<T>(RowBatch batch, string resourceType, string resourceId, string? companyId, T after, long at) =>
        batch.Add(BulkTable.AuditLog, Ids.New("audit"), environmentId, apiKeyId, "create", resourceType, resourceId, companyId, null, StoredJson.Serialize(after), at);

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static int Draw(Random random, double[] shares)
    {
        var draw = random.NextDouble();
        for (var i = 0; i < shares.Length - 1; i++)
        {
            if ((draw -= shares[i]) < 0)
            {
                return i;
            }
        }

        return shares.Length - 1;
    }
}
