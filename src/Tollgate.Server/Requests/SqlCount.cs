namespace Tollgate.Server.Requests;

/// <summary>
/// A query of one row and one column, a count, and its parameters (besides <c>@environmentId</c>, which the store
/// binds): a count that reads other tables than the rows it counts (<see cref="Storage.ResourceStore.CountAsync(string, SqlCount, CancellationToken)"/>).
/// </summary>
internal sealed record SqlCount(string Sql, IReadOnlyDictionary<string, object?> Parameters);
