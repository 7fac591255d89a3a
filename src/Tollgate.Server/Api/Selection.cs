namespace Tollgate.Server.Api;

/// <summary>
/// Which documents of a kind a list or count selects: those of one parent (a SQL condition) and, when
/// <see cref="Predicate"/> is given, those it keeps (applied in memory, before paging).
/// </summary>
internal sealed record Selection<T>(string? ParentId, Func<T, bool>? Predicate)
{
    /// <summary>Every document of the kind.</summary>
    public static readonly Selection<T> All = new(null, null);
}
