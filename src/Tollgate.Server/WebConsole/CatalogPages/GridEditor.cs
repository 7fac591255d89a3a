namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>A grid cell being edited in place: the cell and its form.</summary>
public sealed record GridEditor(GridCell Cell, EntitlementForm Form);
