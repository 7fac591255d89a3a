using Tollgate.Server.Catalog;

namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>The feature form (new and edit): the fields of the API's <see cref="FeatureRequest"/>.</summary>
public sealed class FeatureInput
{
    /// <summary>Display name.</summary>
    public string? Name { get; set; }

    /// <summary>The flag key (new features only; derived from the name when empty).</summary>
    public string? Key { get; set; }

    /// <summary><c>boolean</c>, <c>event</c> or <c>trait</c>.</summary>
    public string Type { get; set; } = "boolean";

    /// <summary>For event features: the event subtype counted.</summary>
    public string? EventSubtype { get; set; }

    /// <summary>For trait features: the company trait holding usage.</summary>
    public string? TraitId { get; set; }

    /// <summary>Optional description.</summary>
    public string? Description { get; set; }

    /// <summary>The API's field names mapped to this form's.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "Input.Name",
        ["flag.key"] = "Input.Key",
        ["feature_type"] = "Input.Type",
        ["event_subtype"] = "Input.EventSubtype",
        ["trait_id"] = "Input.TraitId",
        ["description"] = "Input.Description",
    };

    /// <summary>The form filled from a stored feature.</summary>
    public static FeatureInput From(FeatureRecord feature, FlagRecord? flag)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return new FeatureInput
        {
            Name = feature.Name,
            Key = flag?.Key,
            Type = EntitlementText.FeatureTypeName(feature.FeatureType),
            EventSubtype = feature.EventSubtype,
            TraitId = feature.TraitId,
            Description = feature.Description,
        };
    }

    /// <summary>The API request (<paramref name="withKey"/>: a new feature names its flag's key).</summary>
    public FeatureRequest ToRequest(bool withKey) => new(
        Name: Name?.Trim() ?? string.Empty,
        Description: Description?.Trim() ?? string.Empty,
        FeatureType: Type,
        EventSubtype: Type == "event" ? Blank(EventSubtype) : null,
        TraitId: Type == "trait" ? Blank(TraitId) : null,
        Flag: withKey && Blank(Key) is { } key ? new FlagSpec(key, null, null, null) : null);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
