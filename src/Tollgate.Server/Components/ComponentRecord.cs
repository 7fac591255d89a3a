namespace Tollgate.Server.Components;

/// <summary>
/// A stored component: a layout made in the component editor (Schematic's <c>ComponentResponseData</c>). The
/// layout itself, <see cref="Ast"/>, is Schematic's compressed tree (a map of numbers) and is kept as given.
/// </summary>
internal sealed record ComponentRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary><c>billing</c> or <c>entitlement</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>draft</c> or <c>live</c>.</summary>
    public required string State { get; init; }

    public IReadOnlyDictionary<string, double>? Ast { get; init; }

    /// <summary>The catalog the component shows, when bound (<c>PUT /components/{id}/catalog</c>).</summary>
    public string? CatalogId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
