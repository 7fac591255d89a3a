namespace Tollgate.Server.Requests;

/// <summary>
/// The sizes of the batches a walk over SQL candidates reads, in order, until a page is full: the first as large as the
/// rows the page needs (where SQL keeps nearly only rows that pass, one query of a page's size reads the page, not
/// <see cref="Largest"/> documents), each next one twice the last, up to <see cref="Largest"/>, so that memory stays
/// bounded and a walk over many rejected candidates still takes few queries.
/// </summary>
internal static class CandidateBatches
{
    /// <summary>The most rows one batch reads.</summary>
    public const int Largest = 1_000;

    /// <summary>Batch sizes without end, the first for <paramref name="needed"/> rows (offset and limit of a page).</summary>
    public static IEnumerable<int> Sizes(long needed)
    {
        var size = (int)Math.Clamp(needed, 1, Largest);
        while (true)
        {
            yield return size;
            size = Math.Min(Largest, size * 2);
        }
    }
}
