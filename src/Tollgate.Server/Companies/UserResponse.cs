using System.Text.Json;

namespace Tollgate.Server.Companies;

/// <summary>
/// A user in Schematic's shape (<c>UserDetailResponseData</c>, the fields Tollgate has): its memberships, with each
/// company in short, and the same companies as <c>companies</c>; Tollgate's <c>company_ids</c> too. The name is empty,
/// not null, when none was given. Built by
/// <see cref="EntityDescriber"/>.
/// </summary>
public sealed record UserResponse(
    string Id,
    string Name,
    string EnvironmentId,
    IReadOnlyList<EntityKeyResponse> Keys,
    IReadOnlyDictionary<string, JsonElement> Traits,
    IReadOnlyList<EntityTraitResponse> EntityTraits,
    IReadOnlyList<CompanyMembershipResponse> CompanyMemberships,
    IReadOnlyList<CompanySummaryResponse> Companies,
    IReadOnlyList<string> CompanyIds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSeenAt);
