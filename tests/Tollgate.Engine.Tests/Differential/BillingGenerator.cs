using System.Globalization;
using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// The company's usage and billing data: metric rows (at, around and away from the limits the rules use, for the periods
/// the rules look up and for others), credit balances and postpaid settings, the subscription whose period drives the
/// billing-cycle reset, and the server-computed entitlements echoed back by the engine.
/// </summary>
internal sealed class BillingGenerator(ScenarioUniverse universe)
{
    private readonly Random _random = universe.Random;

    public JsonArray Metrics()
    {
        var rows = new List<JsonNode?>();
        foreach (var key in universe.MetricKeysUsed.OrderBy(k => k))
        {
            var copies = _random.Weighted((20, 0), (75, 1), (5, 2));
            for (var i = 0; i < copies; i++)
            {
                rows.Add(MetricRow(key.Subtype, key.Period, key.MonthReset));
            }
        }

        for (var extra = _random.Next(4); extra > 0; extra--)
        {
            rows.Add(MetricRow(
                _random.Pick(Vocabulary.EventSubtypes), _random.Pick(Vocabulary.MetricPeriods), _random.Pick(Vocabulary.MonthResets)));
        }

        return [.. rows.OrderBy(_ => _random.Next())];
    }

    private JsonObject MetricRow(string subtype, string period, string monthReset) => new JsonObjectBuilder(_random)
        .Required("accountId", Vocabulary.AccountId)
        .Required("environmentId", Vocabulary.EnvironmentId)
        .Required("companyId", _random.Chance(0.95) ? universe.CompanyId : "comp_other")
        .Required("eventSubtype", subtype)
        .Required("period", period)
        .Required("monthReset", monthReset)
        .Required("value", _random.Chance(0.03) ? -2 : universe.NearLimit())
        .Required("createdAt", _random.Chance(0.9) ? TimeText.Rfc3339(universe.Now.AddDays(-3), TimeSpan.Zero, "", zulu: true) : "garbage")
        .Optional("validUntil", _random.Chance(0.3) ? TimeText.Rfc3339(universe.Now.AddHours(_random.Next(-48, 48)), TimeSpan.Zero, "", zulu: true) : null)
        .Build();

    public JsonObject CreditBalances()
    {
        var balances = new JsonObject();
        foreach (var creditId in universe.CreditIdsUsed.Order().Append("cr_unused"))
        {
            if (_random.Chance(0.8))
            {
                balances[creditId] = _random.Weighted<JsonNode?>(
                    (14, 0), (10, 1), (10, 2), (8, 3), (8, 5), (6, 10), (6, 0.5), (6, 2.5), (6, 1.5),
                    (6, -1), (5, -8), (5, -9), (4, 100), (3, 0.1));
            }
        }

        return balances;
    }

    public JsonObject CreditPostpaid()
    {
        var postpaid = new JsonObject();
        foreach (var creditId in universe.CreditIdsUsed.Order().Where(_ => _random.Chance(0.7)))
        {
            var limit = _random.Weighted<JsonNode?>((40, null), (30, 10), (10, 0), (10, 2.5), (10, 1));
            postpaid[creditId] = new JsonObjectBuilder(_random).Optional("overdraftLimit", limit).Build();
        }

        return postpaid;
    }

    public JsonArray Entitlements() => EntitlementGenerator.Entitlements(universe);

    public JsonObject Subscription() => new JsonObjectBuilder(_random)
        .Required("id", "sub_1")
        .Required("periodStart", PeriodStart())
        .Required("periodEnd", PeriodEnd())
        .Build();

    /// <summary>A billing anchor in the past (days 28–31, odd times, fractions, offsets), now itself, the future, or junk.</summary>
    private string PeriodStart()
    {
        var now = universe.Now;
        switch (_random.Next(20))
        {
            case 0:
                return TimeText.Rfc3339(now, TimeSpan.Zero, "", zulu: true);
            case 1 or 2:
                return TimeText.Rfc3339(now.AddSeconds(_random.Pick([1, 59, 3600, 86_400 * 3, 86_400 * 40])), TimeSpan.Zero, "", zulu: true);
            case 3:
                return _random.Pick(["garbage", "", "2025-02-30T00:00:00Z", now.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture), "2025-01-31"]);
            default:
                break;
        }

        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-_random.Next(0, 15));
        var day = Math.Min(_random.Weighted((12, 28), (12, 29), (12, 30), (20, 31), (44, _random.Next(1, 28))), DateTime.DaysInMonth(month.Year, month.Month));
        var timeOfDay = _random.Weighted((40, TimeSpan.Zero), (25, now.TimeOfDay), (35, TimeSpan.FromSeconds(_random.Next(86_400))));
        var anchor = month.AddDays(day - 1) + new TimeSpan(timeOfDay.Hours, timeOfDay.Minutes, timeOfDay.Seconds);
        var offset = _random.Weighted((70, TimeSpan.Zero), (10, new TimeSpan(5, 30, 0)), (10, TimeSpan.FromHours(-8)), (10, TimeSpan.FromHours(14)));
        var fraction = _random.Weighted((70, ""), (10, ".5"), (10, ".123456"), (10, ".999999999"));
        return TimeText.Rfc3339(anchor, offset, fraction, zulu: _random.Chance(0.8));
    }

    private string PeriodEnd()
    {
        var now = universe.Now;
        return _random.Next(20) switch
        {
            < 12 => TimeText.Rfc3339(now.AddDays(_random.Next(200, 400)), TimeSpan.Zero, "", zulu: true),
            < 16 => TimeText.Rfc3339(now.AddHours(_random.Next(1, 24 * 20)), TimeSpan.Zero, _random.Pick(["", ".25"]), zulu: true),
            < 19 => TimeText.Rfc3339(now.AddDays(-_random.Next(1, 40)), TimeSpan.Zero, "", zulu: true),
            _ => "never",
        };
    }
}
