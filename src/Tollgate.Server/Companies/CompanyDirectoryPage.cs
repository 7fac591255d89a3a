namespace Tollgate.Server.Companies;

/// <summary>One page of a directory search, with how many companies match in all.</summary>
public sealed record CompanyDirectoryPage(IReadOnlyList<CompanyDirectoryRow> Rows, long Total, int Page, int PageSize)
{
    /// <summary>How many pages the matches fill (at least 1).</summary>
    public int PageCount => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);
}
