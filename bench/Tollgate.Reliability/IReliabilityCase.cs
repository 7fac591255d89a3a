namespace Tollgate.Reliability;

/// <summary>One fault scenario of the suite.</summary>
internal interface IReliabilityCase
{
    /// <summary>A short name, also used to select the case on the command line.</summary>
    string Name { get; }

    /// <summary>Runs the scenario and accounts for what was lost.</summary>
    Task<CaseResult> RunAsync(Lab lab, CancellationToken cancellationToken);
}
