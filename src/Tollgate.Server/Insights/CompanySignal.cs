namespace Tollgate.Server.Insights;

/// <summary>
/// One signal of one company (a <c>company_signals</c> row): the kind, how strongly it holds (lists sort by
/// <see cref="Score"/>, highest first), the feature it is about, the sentence that explains it and the figures behind it.
/// </summary>
internal sealed record CompanySignal
{
    /// <summary>The list it belongs to (<see cref="SignalKinds"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>The company (<c>comp_…</c>).</summary>
    public required string CompanyId { get; init; }

    /// <summary>The company's name when it has one.</summary>
    public string? CompanyName { get; init; }

    /// <summary>The company's base plan.</summary>
    public string? PlanId { get; init; }

    /// <summary>The feature the signal is about; null for one about the company (a trial ending unused).</summary>
    public string? FeatureId { get; init; }

    /// <summary>The rank within the list: the usage ratio for over-use and expansion, the unused share for under-use, the fall for at-risk.</summary>
    public required double Score { get; init; }

    /// <summary>A sentence a person reads, with the figures (e.g. "used 92% of api-calls …; usage up 38% month over month").</summary>
    public required string Reason { get; init; }

    /// <summary>The figures behind the reason.</summary>
    public required SignalEvidence Evidence { get; init; }

    /// <summary>Monthly recurring revenue in the currency's smallest unit, from the company's subscription items; null without a subscription.</summary>
    public long? Mrr { get; init; }

    /// <summary>The currency of <see cref="Mrr"/>.</summary>
    public string? Currency { get; init; }
}
