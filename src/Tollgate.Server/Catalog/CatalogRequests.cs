using System.Text.Json.Serialization;

namespace Tollgate.Server.Catalog;

/// <summary>Body of <c>POST /features</c> and <c>PUT /features/{id}</c>.</summary>
public sealed record FeatureRequest(
    string? Name,
    string? Description,
    string? FeatureType,
    string? EventSubtype,
    string? TraitId,
    FlagSpec? Flag);

/// <summary>The flag a new feature gets.</summary>
public sealed record FlagSpec(string? Key, string? Name, string? Description, bool? DefaultValue);

/// <summary>Body of <c>PUT /flags/{id}/rules</c>: the flag's whole rule list.</summary>
public sealed record FlagRulesRequest(IReadOnlyList<FlagRuleRequest>? Rules);

/// <summary>One rule of <see cref="FlagRulesRequest"/>.</summary>
public sealed record FlagRuleRequest(
    string? Id,
    string? Name,
    string? RuleType,
    long? Priority,
    bool? Value,
    IReadOnlyList<ConditionRequest>? Conditions,
    IReadOnlyList<ConditionGroupRequest>? ConditionGroups);

/// <summary>Alternatives in a rule.</summary>
public sealed record ConditionGroupRequest(IReadOnlyList<ConditionRequest>? Conditions);

/// <summary>A condition as the API takes it.</summary>
public sealed record ConditionRequest(
    string? ConditionType,
    [property: JsonPropertyName("operator")] string? Operator,
    IReadOnlyList<string>? ResourceIds,
    string? TraitId,
    string? TraitValue,
    string? ComparisonTraitId,
    string? EventSubtype,
    long? MetricValue,
    string? MetricPeriod,
    string? MetricPeriodMonthReset,
    string? CreditId,
    double? ConsumptionRate);

/// <summary>Body of <c>POST /trait-definitions</c>.</summary>
public sealed record TraitDefinitionRequest(string? Name, string? EntityType, string? ComparableType);

/// <summary>
/// Body of Schematic's <c>POST /entity-trait-definitions</c> (get or create): the trait's path (<c>["seats"]</c>, or
/// <c>["address", "city"]</c> for the trait named <c>address.city</c>) and Schematic's trait type.
/// </summary>
public sealed record EntityTraitDefinitionRequest(string? DisplayName, string? EntityType, IReadOnlyList<string?>? Hierarchy, string? TraitType);

/// <summary>Body of <c>POST /plans</c> and <c>PUT /plans/{id}</c>.</summary>
public sealed record PlanRequest(string? Name, string? Description, string? PlanType, string? Icon = null);

/// <summary>
/// Body of <c>POST /plan-entitlements</c> and of company overrides (with a company instead of a plan). Without
/// <c>plan_version_id</c> a plan entitlement goes to the plan's published version.
/// </summary>
public sealed record GrantRequest(
    string? PlanId,
    string? CompanyId,
    string? FeatureId,
    string? ValueType,
    bool? ValueBool,
    long? ValueNumeric,
    string? ValueTraitId,
    string? ValueCreditId,
    double? CreditConsumptionRate,
    string? MetricPeriod,
    string? MetricPeriodMonthReset,
    long? SoftLimit,
    IReadOnlyList<WarningTierRecord>? WarningTiers,
    DateTimeOffset? ExpirationDate,
    string? Note,
    string? PlanVersionId = null);

/// <summary>Body of <c>PUT /plans/version/{version_id}/publish</c>.</summary>
public sealed record PublishPlanVersionRequest(string? MigrationStrategy, IReadOnlyList<string?>? ExcludedCompanyIds);
