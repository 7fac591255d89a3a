namespace Tollgate.Server.Companies;

/// <summary>
/// SQLite's match of <see cref="CompaniesOnVersion.CountOverAsync"/>'s two sides: the version's directory rows against the
/// companies over each event limit. A company counts for a limit when its row is over it (a limit decided on the row)
/// or its id is among the limit's companies over it; it counts once for "any limit" however many limits it is over.
/// </summary>
internal static class OverLimitTally
{
    /// <summary>
    /// <paramref name="rows"/>: the version's directory rows; <paramref name="overFromCounters"/>: per limit, the
    /// companies over it by their counters, or null for a limit decided on the row (<see cref="Row.OverOnRow"/>).
    /// </summary>
    public static OverLimitCounts Count(IReadOnlyList<Row> rows, IReadOnlyList<HashSet<string>?> overFromCounters)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(overFromCounters);
        var perLimit = new long[overFromCounters.Count];
        var any = 0L;
        foreach (var row in rows)
        {
            var overAny = false;
            for (var i = 0; i < perLimit.Length; i++)
            {
                if (overFromCounters[i] is { } companies ? companies.Contains(row.CompanyId) : row.OverOnRow?[i] == true)
                {
                    perLimit[i]++;
                    overAny = true;
                }
            }

            any += overAny ? 1 : 0;
        }

        return new OverLimitCounts(any, perLimit);
    }

    /// <summary>
    /// A directory row of the version: its company, and whether it is over each limit decided on the row (indexed as the
    /// limits; null when no limit is decided on the row).
    /// </summary>
    internal sealed record Row(string CompanyId, bool[]? OverOnRow);
}
