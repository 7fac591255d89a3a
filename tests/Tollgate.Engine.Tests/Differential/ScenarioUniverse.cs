namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// The shared world of one scenario: the clock, the company and user the rules talk about, the limit most usage
/// conditions use, and a record of what the rules referred to (metrics, credits) so the company data can be built to
/// sit right at, below or above those rules.
/// </summary>
internal sealed class ScenarioUniverse
{
    private int _nextId;

    public ScenarioUniverse(Random random)
    {
        Random = random;
        Now = EdgeValues.Now(random);
        CompanyId = random.Chance(0.8) ? Vocabulary.CompanyIds[0] : random.Pick(Vocabulary.CompanyIds);
        UserId = random.Chance(0.8) ? Vocabulary.UserIds[0] : random.Pick(Vocabulary.UserIds);
        FlagKey = random.Chance(0.9) ? Vocabulary.FlagKey : random.Pick(Vocabulary.FlagKeys);
        FocalLimit = random.Pick([0L, 1, 3, 5, 10, 100]);
        BillingFocus = random.Chance(0.2);
    }

    /// <summary>
    /// A metered-plan scenario: entitlement rules on monthly billing-cycle metrics and a company with a subscription.
    /// Without this focus the billing-cycle reset (the most intricate date arithmetic) would be rare among the answers.
    /// </summary>
    public bool BillingFocus { get; }

    public Random Random { get; }

    public DateTimeOffset Now { get; }

    public string CompanyId { get; }

    public string UserId { get; }

    public string FlagKey { get; }

    /// <summary>The limit most metric conditions, metric rows and int traits cluster around.</summary>
    public long FocalLimit { get; }

    /// <summary>(eventSubtype, period, monthReset) rows the metric conditions will look up, after the engine's defaults.</summary>
    public HashSet<(string Subtype, string Period, string MonthReset)> MetricKeysUsed { get; } = [];

    public HashSet<string> CreditIdsUsed { get; } = [];

    public HashSet<string> SubtypesUsed { get; } = [];

    /// <summary>A short id unique within the scenario, e.g. <c>cond_7</c>.</summary>
    public string NextId(string prefix) => $"{prefix}_{++_nextId}";

    /// <summary>A value near the focal limit: at it, one off, zero, or far above.</summary>
    public long NearLimit() => Random.Next(8) switch
    {
        0 or 1 => FocalLimit,
        2 => FocalLimit - 1,
        3 => FocalLimit + 1,
        4 => 0,
        5 => FocalLimit * 2 + 1,
        6 => Random.Next(0, 30),
        _ => FocalLimit + Random.Next(-2, 3),
    };
}
