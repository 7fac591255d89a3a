namespace Tollgate.Server.Catalog;

/// <summary>Something a customer may be entitled to; each feature has a flag that applications check.</summary>
public sealed record FeatureRecord
{
    /// <summary>The feature's id (<c>feat_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Optional description.</summary>
    public string? Description { get; init; }

    /// <summary>What the feature measures.</summary>
    public required FeatureType FeatureType { get; init; }

    /// <summary>For event features, the event subtype counted.</summary>
    public string? EventSubtype { get; init; }

    /// <summary>For trait features, the company trait holding usage.</summary>
    public string? TraitId { get; init; }

    /// <summary>The feature's flag.</summary>
    public required string FlagId { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
