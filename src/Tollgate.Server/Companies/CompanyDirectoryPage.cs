namespace Tollgate.Server.Companies;

/// <summary>
/// One page of a directory search, with how many companies match in all, counted up to <see cref="MaxCounted"/>: past
/// it, <see cref="Total"/> is one more and <see cref="TotalIsCapped"/> is true ("more than 10,000").
/// </summary>
public sealed record CompanyDirectoryPage(IReadOnlyList<CompanyDirectoryRow> Rows, long Total, int Page, int PageSize)
{
    /// <summary>The most matches counted exactly.</summary>
    public const int MaxCounted = 10_000;

    /// <summary>Whether more companies match than were counted.</summary>
    public bool TotalIsCapped => Total > MaxCounted;

    /// <summary>How many pages the matches fill (at least 1).</summary>
    public int PageCount => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);
}
