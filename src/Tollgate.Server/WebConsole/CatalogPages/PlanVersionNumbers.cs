namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>A plan's live version number and its draft's, as the grid's column headers show them.</summary>
public sealed record PlanVersionNumbers(int Published, int? Draft);
