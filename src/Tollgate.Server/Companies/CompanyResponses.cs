using System.Text.Json;

namespace Tollgate.Server.Companies;

/// <summary>A company key as Schematic lists it.</summary>
public sealed record EntityKeyResponse(string Key, string Value);

/// <summary>A company in Schematic's response shape (<c>CompanyDetailResponseData</c>, the fields Tollgate has).</summary>
public sealed record CompanyResponse(
    string Id,
    string? Name,
    string EnvironmentId,
    IReadOnlyList<EntityKeyResponse> Keys,
    IReadOnlyDictionary<string, JsonElement> Traits,
    string? BasePlanId,
    IReadOnlyList<string> AddOnIds,
    IReadOnlyList<string> PlanVersionIds,
    IReadOnlyList<ScheduledPlanVersion> ScheduledPlanVersions,
    SubscriptionPeriod? Subscription,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSeenAt)
{
    /// <summary>The response shape of a company record.</summary>
    public static CompanyResponse From(CompanyRecord c, string environmentId) => new(
        c.Id, c.Name, environmentId, [.. c.Keys.Select(k => new EntityKeyResponse(k.Key, k.Value))], c.Traits, c.BasePlanId, c.AddOnIds,
        [.. Evaluation.CompanyPlanVersions.PlanIdsOf(c).Where(c.PlanVersions.ContainsKey).Select(p => c.PlanVersions[p])], c.ScheduledPlanVersions,
        c.Subscription, c.CreatedAt, c.UpdatedAt, c.LastSeenAt);
}

/// <summary>A user in Schematic's response shape (the fields Tollgate has).</summary>
public sealed record UserResponse(
    string Id,
    string? Name,
    string EnvironmentId,
    IReadOnlyList<EntityKeyResponse> Keys,
    IReadOnlyDictionary<string, JsonElement> Traits,
    IReadOnlyList<string> CompanyIds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSeenAt)
{
    /// <summary>The response shape of a user record.</summary>
    public static UserResponse From(UserRecord u, string environmentId) => new(
        u.Id, u.Name, environmentId, [.. u.Keys.Select(k => new EntityKeyResponse(k.Key, k.Value))], u.Traits, u.CompanyIds,
        u.CreatedAt, u.UpdatedAt, u.LastSeenAt);
}
