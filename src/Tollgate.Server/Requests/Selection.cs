namespace Tollgate.Server.Requests;

/// <summary>
/// Which documents of a kind a list or count selects: those of one parent and, when <see cref="Ids"/> is given, of those
/// ids (SQL conditions); and when <see cref="Predicate"/> is given, those it keeps (applied in memory, before paging).
/// </summary>
internal sealed record Selection<T>(string? ParentId, Func<T, bool>? Predicate, IReadOnlyCollection<string>? Ids = null)
{
    /// <summary>Every document of the kind.</summary>
    public static readonly Selection<T> All = new(null, null);
}
