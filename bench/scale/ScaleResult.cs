namespace Tollgate.Scale;

/// <summary>What a run wrote and how fast.</summary>
/// <param name="EnvironmentId">The environment filled.</param>
/// <param name="Companies">Companies written.</param>
/// <param name="RowsByTable">Rows written per table.</param>
/// <param name="CatalogSeconds">Time to create the catalog through the services.</param>
/// <param name="BulkSeconds">Time to generate and write the companies and everything under them.</param>
/// <param name="ProjectionSeconds">Time to write the projections (directory, insight signals) by the server's rebuild, after the bulk phase.</param>
/// <param name="Facts">Every company's facts when <see cref="ScaleOptions.KeepFacts"/>, else the first 20.</param>
/// <param name="PlanIds">The base plans by name.</param>
public sealed record ScaleResult(
    string EnvironmentId,
    int Companies,
    IReadOnlyDictionary<string, long> RowsByTable,
    double CatalogSeconds,
    double BulkSeconds,
    double ProjectionSeconds,
    IReadOnlyList<CompanyFacts> Facts,
    IReadOnlyDictionary<string, string> PlanIds)
{
    /// <summary>All rows written.</summary>
    public long Rows => RowsByTable.Values.Sum();

    /// <summary>Rows per second of the bulk phase.</summary>
    public double RowsPerSecond => BulkSeconds > 0 ? Rows / BulkSeconds : 0;
}
