using System.Collections;
using Tollgate.Engine.Model;
using Tollgate.Server.Companies;
using Tollgate.Server.Memory;

namespace Tollgate.Server.Usage;

/// <summary>
/// The engine's metrics of one company at one instant (<see cref="CompanyUsage.MetricsAt"/>): one row per event subtype
/// used and per period (<see cref="UsagePeriods.All"/>, in order), held as the counter values read at that instant and
/// made into <see cref="CompanyMetric"/> rows only when enumerated.
/// </summary>
/// <remarks>
/// A warm company's view keeps its engine input for as long as it is warm, and only the compile (once) and the datastream
/// (for subscribed companies) read the rows. Held as rows they were the largest part of a warm company (about 860 B of
/// 7 KB: nine or ten records, their list and a timestamp string); held as values they take about 200 B. Every enumeration
/// makes equal rows: the values are fixed at construction, and the timestamps follow from its instant.
/// </remarks>
internal sealed class CompanyMetricValues : IReadOnlyList<CompanyMetric>
{
    private readonly string _environmentId;
    private readonly string _companyId;
    private readonly string[] _subtypes;
    // Subtype-major: the value of subtype s in period p is at s * UsagePeriods.All.Length + p.
    private readonly long[] _values;
    private readonly DateTimeOffset _at;
    private readonly SubscriptionPeriod? _subscription;

    public CompanyMetricValues(string environmentId, string companyId, string[] subtypes, long[] values, DateTimeOffset at, SubscriptionPeriod? subscription)
    {
        if (values.Length != subtypes.Length * UsagePeriods.All.Length)
        {
            throw new ArgumentException("One value per subtype and period is needed.", nameof(values));
        }

        (_environmentId, _companyId, _subtypes, _values, _at, _subscription) = (environmentId, companyId, subtypes, values, at, subscription);
    }

    public int Count => _values.Length;

    public CompanyMetric this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _values.Length);
            var period = UsagePeriods.All[index % UsagePeriods.All.Length];
            return new CompanyMetric
            {
                AccountId = Evaluation.EngineIds.Account,
                EnvironmentId = _environmentId,
                CompanyId = _companyId,
                EventSubtype = _subtypes[index / UsagePeriods.All.Length],
                Period = UsagePeriods.MetricPeriodOf(period),
                MonthReset = UsagePeriods.MonthResetOf(period),
                Value = _values[index],
                CreatedAt = _at.ToString("O"),
                // Shared: every company in the same period has the same reset instant.
                ValidUntil = UsagePeriods.NextReset(period, _at, _subscription) is { } reset ? SharedStrings.Of(reset, "O") : null,
            };
        }
    }

    public IEnumerator<CompanyMetric> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
