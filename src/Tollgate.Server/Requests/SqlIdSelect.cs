namespace Tollgate.Server.Requests;

/// <summary>
/// A <c>SELECT</c> of one column of ids, with its parameters: a set of ids to count, or to test a row's id against
/// (<c>… IN (select)</c>). It may use the query's <c>@environmentId</c>; its own parameters are prefixed <c>f_</c> like
/// those of <see cref="SqlCondition"/>.
/// </summary>
internal sealed record SqlIdSelect(string Sql, IReadOnlyDictionary<string, object?> Parameters);
