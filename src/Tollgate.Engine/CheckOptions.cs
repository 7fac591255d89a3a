namespace Tollgate.Engine;

/// <summary>
/// Preflight ("what if") options for a check (spec §3.6). They change matching only; the reported usage stays the
/// real one. Negative usage or cost makes the check return the flag's default with an error.
/// </summary>
public sealed record CheckOptions
{
    /// <summary>Usage to add to every metric and int trait before comparing.</summary>
    public long? Usage { get; init; }

    /// <summary>Usage of one event subtype to add to that subtype's metrics; wins over <see cref="Usage"/>.</summary>
    public EventUsage? EventUsage { get; init; }

    /// <summary>The exact credit cost of this use, by credit id; wins over usage times consumption rate.</summary>
    public IReadOnlyDictionary<string, double>? CreditCost
    {
        get;
        init
        {
            field = value;
            // Checked here, once, so that a check never enumerates the dictionary (which would allocate).
            HasNegativeCreditCost = value is not null && value.Values.Any(cost => cost < 0);
        }
    }

    /// <summary>Whether any credit cost is negative, which makes a check return its default with an error.</summary>
    internal bool HasNegativeCreditCost { get; private init; }
}
