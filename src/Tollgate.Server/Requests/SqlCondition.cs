namespace Tollgate.Server.Requests;

/// <summary>
/// A condition on the <c>resources</c> row of a list (referred to as <c>resources</c>) in SQL, with its parameters. It may
/// use the list query's <c>@environmentId</c>; its own parameters' names must not clash with the query's
/// (<c>environmentId</c>, <c>kind</c>, <c>parentId</c>, <c>ids</c>, <c>limit</c>, <c>offset</c>).
/// </summary>
internal sealed record SqlCondition(string Sql, IReadOnlyDictionary<string, object?> Parameters)
{
    /// <summary>Both conditions; either may be absent.</summary>
    public static SqlCondition? And(SqlCondition? left, SqlCondition? right) =>
        left is null ? right
        : right is null ? left
        : new SqlCondition($"({left.Sql}) AND ({right.Sql})", left.Parameters.Concat(right.Parameters).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
}
