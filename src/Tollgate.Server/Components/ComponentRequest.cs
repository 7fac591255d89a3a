namespace Tollgate.Server.Components;

/// <summary>
/// Body of <c>POST</c> and <c>PUT /components</c> (Schematic's <c>CreateComponentRequestBody</c> and
/// <c>UpdateComponentRequestBody</c>); on update a field left out keeps its value.
/// </summary>
internal sealed record ComponentRequest(string? Name, string? EntityType, string? State, IReadOnlyDictionary<string, double>? Ast);

/// <summary>Body of <c>PUT /components/{id}/catalog</c> (Schematic's <c>BindCatalogRequestBody</c>); null unbinds.</summary>
internal sealed record BindCatalogRequest(string? CatalogId);
