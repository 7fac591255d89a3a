namespace Tollgate.Server.Components;

/// <summary>A component in Schematic's shape (<c>ComponentResponseData</c>).</summary>
internal sealed record ComponentResponse(
    string Id,
    string Name,
    string Type,
    string State,
    IReadOnlyDictionary<string, double>? Ast,
    string? CatalogId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ComponentResponse From(ComponentRecord component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return new(component.Id, component.Name, component.Type, component.State, component.Ast, component.CatalogId, component.CreatedAt, component.UpdatedAt);
    }
}
