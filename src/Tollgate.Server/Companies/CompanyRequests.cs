using System.Text.Json;

namespace Tollgate.Server.Companies;

/// <summary>Body of <c>POST /companies</c> (upsert by keys) and <c>POST /companies/create</c>.</summary>
public sealed record UpsertCompanyRequest(
    IReadOnlyDictionary<string, string>? Keys,
    string? Name,
    IReadOnlyDictionary<string, JsonElement>? Traits,
    string? BasePlanId,
    IReadOnlyList<string>? AddOnIds,
    SubscriptionRequest? Subscription,
    DateTimeOffset? LastSeenAt,
    bool? UpdateOnly);

/// <summary>A billing period.</summary>
public sealed record SubscriptionRequest(string? Id, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd);

/// <summary>Body of <c>POST /users</c>.</summary>
public sealed record UpsertUserRequest(
    IReadOnlyDictionary<string, string>? Keys,
    string? Name,
    IReadOnlyDictionary<string, JsonElement>? Traits,
    IReadOnlyDictionary<string, string>? Company,
    IReadOnlyList<IReadOnlyDictionary<string, string>>? Companies,
    string? CompanyId,
    IReadOnlyList<string>? CompanyIds,
    DateTimeOffset? LastSeenAt,
    bool? UpdateOnly);

/// <summary>Body of <c>PUT /company-plans/{company_id}</c>.</summary>
public sealed record CompanyPlansRequest(string? BasePlanId, IReadOnlyList<string>? AddOnIds);

/// <summary>Body of <c>POST /company-traits</c> and <c>POST /user-traits</c>: set or increment one trait.</summary>
public sealed record TraitChangeRequest(IReadOnlyDictionary<string, string>? Keys, string? Trait, JsonElement? Set, double? Incr, bool? UpdateOnly);

/// <summary>Body of <c>POST /companies/delete</c> and <c>POST /users/delete</c>: the entity named by its keys.</summary>
public sealed record KeysRequest(IReadOnlyDictionary<string, string>? Keys);
