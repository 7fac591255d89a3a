namespace Tollgate.Reliability;

/// <summary>
/// What one case did: <see cref="Tried"/> says what was attempted (in numbers), <see cref="Lost"/> lists every loss
/// found (empty: nothing lost), <see cref="Notes"/> what else was seen (timings, counts).
/// </summary>
internal sealed record CaseResult(string Tried, IReadOnlyList<string> Lost, string Notes = "")
{
    public bool NothingLost => Lost.Count == 0;

    public static CaseResult Failed(string tried, Exception error) => new(tried, [$"the case could not run: {error.GetType().Name}: {error.Message}"]);
}
