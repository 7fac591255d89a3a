using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Tollgate.Engine.Compiled;
using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine;

/// <summary>
/// A company prepared for checks: traits, metrics, balances and rules indexed once. Immutable and thread-safe; build a
/// new one when the company changes.
/// </summary>
public sealed class CompiledCompany
{
    // Keyed by MetricKeys.Of(subtype, period, reset): one string hash per lookup.
    private readonly FrozenDictionary<string, long> _metrics;
    // Never written after construction, so companies without credits (most) share the empty ones.
    private static readonly Dictionary<string, double> NoBalances = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, CreditPostpaid> NoPostpaid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _creditBalances;
    private readonly Dictionary<string, CreditPostpaid> _creditPostpaid;
    private readonly FrozenDictionary<string, FeatureEntitlement> _entitlementsByFeatureKey;

    private CompiledCompany(Company company)
    {
        Source = company;
        Id = company.Id;
        BasePlanId = company.BasePlanId;
        PlanIds = [.. company.PlanIds];
        PlanVersionIds = [.. company.PlanVersionIds];
        BillingProductIds = [.. company.BillingProductIds];
        Traits = new TraitTable(company.Traits);
        Rules = new RulesByFlag(company.Rules);
        Billing = company.Subscription is { } subscription ? new BillingAnchor(subscription.PeriodStart, subscription.PeriodEnd) : null;
        var metrics = new Dictionary<string, long>(company.Metrics.Count, StringComparer.Ordinal);
        foreach (var metric in company.Metrics)
        {
            // The first row for a key wins, as in the reference.
            metrics.TryAdd(MetricKeys.Of(metric.EventSubtype, metric.Period, metric.MonthReset), metric.Value);
        }

        _metrics = metrics.ToFrozenDictionary(StringComparer.Ordinal);

        _creditBalances = company.CreditBalances.Count == 0 ? NoBalances : new Dictionary<string, double>(company.CreditBalances, StringComparer.Ordinal);
        _creditPostpaid = company.CreditPostpaid.Count == 0 ? NoPostpaid : new Dictionary<string, CreditPostpaid>(company.CreditPostpaid, StringComparer.Ordinal);
        var entitlements = new Dictionary<string, FeatureEntitlement>(StringComparer.Ordinal);
        foreach (var entitlement in company.Entitlements)
        {
            // The first entitlement for a feature key is the one a check echoes.
            entitlements.TryAdd(entitlement.FeatureKey, entitlement);
        }

        _entitlementsByFeatureKey = entitlements.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The company this was compiled from.</summary>
    public Company Source { get; }

    /// <summary>The company's id.</summary>
    public string Id { get; }

    internal string? BasePlanId { get; }

    internal string[] PlanIds { get; }

    internal string[] PlanVersionIds { get; }

    internal string[] BillingProductIds { get; }

    internal TraitTable Traits { get; }

    internal RulesByFlag Rules { get; }

    internal BillingAnchor? Billing { get; }

    /// <summary>Prepares a company for checks.</summary>
    public static CompiledCompany Compile(Company company)
    {
        ArgumentNullException.ThrowIfNull(company);
        return new CompiledCompany(company);
    }

    /// <summary>The usage of the first metric row with this <see cref="MetricKeys"/> key; a missing row counts as 0.</summary>
    internal long MetricValue(string metricKey) => _metrics.TryGetValue(metricKey, out var value) ? value : 0;

    internal double CreditBalance(string creditId) => _creditBalances.TryGetValue(creditId, out var balance) ? balance : 0;

    internal bool TryGetPostpaid(string creditId, [NotNullWhen(true)] out CreditPostpaid? postpaid) =>
        _creditPostpaid.TryGetValue(creditId, out postpaid);

    internal FeatureEntitlement? EntitlementFor(string featureKey) =>
        _entitlementsByFeatureKey.TryGetValue(featureKey, out var entitlement) ? entitlement : null;
}
