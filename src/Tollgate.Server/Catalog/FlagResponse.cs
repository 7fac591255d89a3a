namespace Tollgate.Server.Catalog;

/// <summary>A flag in Schematic's shape (<c>FlagDetailResponseData</c>, the fields Tollgate has); its rules as written.</summary>
public sealed record FlagResponse(
    string Id,
    string EnvironmentId,
    string Key,
    string Name,
    string Description,
    string FlagType,
    bool DefaultValue,
    string? FeatureId,
    IReadOnlyList<FlagRuleResponse> Rules,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The response shape of a flag.</summary>
    public static FlagResponse From(FlagRecord flag, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return new(
            flag.Id, environmentId, flag.Key, flag.Name, flag.Description ?? string.Empty, "boolean", flag.DefaultValue, flag.FeatureId, FlagRuleResponse.Of(flag, environmentId),
            flag.CreatedAt, flag.UpdatedAt);
    }
}
