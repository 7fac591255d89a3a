namespace Tollgate.Server.Requests;

/// <summary>
/// Which documents of a kind a list or count selects: those of one parent, of <see cref="Ids"/> when given, and those
/// <see cref="Condition"/> keeps (all SQL conditions, so paging and counting happen in the database); and when
/// <see cref="Predicate"/> or <see cref="Keep"/> is given, those they keep too. These are applied in memory to the rows
/// the SQL conditions select, read in order a batch at a time until a page is full (<see cref="Keep"/> gets a whole batch,
/// to read what it needs for the batch at once): a condition should narrow the rows to few candidates. When
/// <see cref="KnownCount"/> is given, it answers the count instead of counting the rows (a tally kept by the store).
/// </summary>
internal sealed record Selection<T>(
    string? ParentId,
    Func<T, bool>? Predicate,
    IReadOnlyCollection<string>? Ids = null,
    SqlCondition? Condition = null,
    Func<IReadOnlyList<T>, CancellationToken, ValueTask<IReadOnlyList<T>>>? Keep = null,
    Func<CancellationToken, Task<long>>? KnownCount = null)
{
    /// <summary>Every document of the kind.</summary>
    public static readonly Selection<T> All = new(null, null);

    /// <summary>Whether rows are also chosen in memory, after the SQL conditions.</summary>
    public bool ChoosesInMemory => Predicate is not null || Keep is not null;

    /// <summary>The rows of <paramref name="batch"/> that <see cref="Predicate"/> and <see cref="Keep"/> keep.</summary>
    public async ValueTask<IReadOnlyList<T>> ChooseAsync(IReadOnlyList<T> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        IReadOnlyList<T> kept = Predicate is null ? batch : [.. batch.Where(Predicate)];
        return Keep is null || kept.Count == 0 ? kept : await Keep(kept, cancellationToken).ConfigureAwait(false);
    }
}
