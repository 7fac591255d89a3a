using Tollgate.Engine;
using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// Turns the catalog into engine rules (DESIGN.md): a flag's own rules as they are; each plan entitlement into a
/// <c>plan_entitlement</c> rule on the plan version holding it (and, for limits, a <c>plan_entitlement_usage_exceeded</c> rule); each
/// company override into <c>company_override</c> rules on that company.
/// </summary>
internal sealed class RuleCompiler(CatalogSnapshot catalog)
{
    public Flag CompileFlag(FlagRecord flag)
    {
        var rules = new List<Rule>(flag.Rules.Count);
        foreach (var rule in flag.Rules)
        {
            rules.Add(new Rule
            {
                Id = rule.Id,
                AccountId = EngineIds.Account,
                EnvironmentId = catalog.EnvironmentId,
                RuleType = WireFormat.TryParse(rule.RuleType, out RuleType type) ? type : RuleType.Standard,
                Name = rule.Name,
                Priority = rule.Priority,
                Value = rule.Value,
                Conditions = [.. rule.Conditions.Select(Condition)],
                ConditionGroups = [.. rule.ConditionGroups.Select(g => new ConditionGroup { Conditions = [.. g.Conditions.Select(Condition)] })],
            });
        }

        if (flag.FeatureId is { } featureId && catalog.EntitlementsByFeature.TryGetValue(featureId, out var entitlements))
        {
            foreach (var entitlement in entitlements)
            {
                // A draft's entitlements apply to no one until it is published; no company is ever on a draft.
                if (catalog.Plans.TryGetValue(entitlement.PlanId, out var plan)
                    && catalog.VersionsById.TryGetValue(catalog.VersionIdOf(entitlement), out var version)
                    && version.Status != PlanVersionStatus.Draft)
                {
                    // On the version, not the plan: companies on different versions of one plan get different answers.
                    var versionCondition = SetCondition($"{entitlement.Id}_plan_version", ConditionType.PlanVersion, version.Id);
                    rules.AddRange(GrantRules(
                        Grant.From(entitlement), PlanVersions.RuleName(plan, version), versionCondition, RuleType.PlanEntitlement, RuleType.PlanEntitlementUsageExceeded));
                }
            }
        }

        return new Flag
        {
            Id = flag.Id,
            AccountId = EngineIds.Account,
            EnvironmentId = catalog.EnvironmentId,
            Key = flag.Key,
            DefaultValue = flag.DefaultValue,
            Rules = rules,
        };
    }

    /// <summary>The rules of a company's overrides that have not expired at <paramref name="now"/>.</summary>
    public IEnumerable<Rule> CompileOverrides(string companyId, IEnumerable<CompanyOverrideRecord> overrides, DateTimeOffset now)
    {
        foreach (var o in overrides)
        {
            if (o.ExpirationDate is { } expires && expires <= now)
            {
                continue;
            }

            if (catalog.FlagOf(o.FeatureId) is not { } flag)
            {
                continue;
            }

            var companyCondition = SetCondition($"{o.Id}_company", ConditionType.Company, companyId);
            foreach (var rule in GrantRules(Grant.From(o), o.Note ?? "Company override", companyCondition, RuleType.CompanyOverride, RuleType.CompanyOverrideUsageExceeded))
            {
                yield return rule with { FlagId = flag.Id };
            }
        }
    }

    /// <summary>
    /// The rules of one grant: allowed while within the limit, and for limits a rule that answers false once usage
    /// reaches it (so the check reports the usage and allocation either way).
    /// </summary>
    private IEnumerable<Rule> GrantRules(Grant grant, string name, Condition scope, RuleType allowType, RuleType exceededType)
    {
        Rule Make(string id, RuleType type, bool value, params Condition[] conditions) => new()
        {
            Id = id,
            AccountId = EngineIds.Account,
            EnvironmentId = catalog.EnvironmentId,
            RuleType = type,
            Name = name,
            Priority = 0,
            Value = value,
            Conditions = conditions,
        };

        switch (grant.ValueType)
        {
            case EntitlementValueKind.Boolean:
                yield return Make(grant.Id, allowType, grant.ValueBool ?? true, scope);
                break;
            case EntitlementValueKind.Unlimited:
                yield return Make(grant.Id, allowType, true, scope);
                break;
            case EntitlementValueKind.Credit when grant.ValueCreditId is not null:
                // For credit conditions "eq" asks "is there enough" and "gte" asks "is it exhausted" (spec §3.10).
                yield return Make(grant.Id, allowType, true, scope, CreditCondition(grant, ComparisonOperator.Equal));
                yield return Make(GrantRuleIds.ExceededOf(grant.Id), exceededType, false, scope, CreditCondition(grant, ComparisonOperator.GreaterThanOrEqual));
                break;
            case EntitlementValueKind.Numeric or EntitlementValueKind.Trait when UsageCondition(grant, ComparisonOperator.LessThan) is { } within:
                yield return Make(grant.Id, allowType, true, scope, within);
                yield return Make(GrantRuleIds.ExceededOf(grant.Id), exceededType, false, scope, UsageCondition(grant, ComparisonOperator.GreaterThanOrEqual)!);
                break;
            default:
                break;
        }
    }

    /// <summary>The usage of the grant's feature compared with its limit: a metric for event features, a trait for trait features.</summary>
    private Condition? UsageCondition(Grant grant, ComparisonOperator op)
    {
        if (!catalog.Features.TryGetValue(grant.FeatureId, out var feature))
        {
            return null;
        }

        var limitTrait = grant.ValueType == EntitlementValueKind.Trait && grant.ValueTraitId is { } traitId ? Definition(traitId) : null;
        var limit = grant.ValueType == EntitlementValueKind.Numeric ? grant.ValueNumeric ?? 0 : 0;
        return feature.FeatureType switch
        {
            FeatureType.Event when feature.EventSubtype is { } subtype => new Condition
            {
                Id = $"{grant.Id}_usage",
                AccountId = EngineIds.Account,
                EnvironmentId = catalog.EnvironmentId,
                ConditionType = ConditionType.Metric,
                Operator = op,
                EventSubtype = subtype,
                MetricValue = limit,
                MetricPeriod = grant.MetricPeriod ?? MetricPeriod.AllTime,
                MetricPeriodMonthReset = grant.MonthReset ?? MonthReset.FirstOfMonth,
                ComparisonTraitDefinition = limitTrait,
                TraitValue = string.Empty,
            },
            FeatureType.Trait when feature.TraitId is { } usageTrait => new Condition
            {
                Id = $"{grant.Id}_usage",
                AccountId = EngineIds.Account,
                EnvironmentId = catalog.EnvironmentId,
                ConditionType = ConditionType.Trait,
                Operator = op,
                TraitDefinition = Definition(usageTrait),
                TraitValue = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ComparisonTraitDefinition = limitTrait,
            },
            _ => null,
        };
    }

    private Condition CreditCondition(Grant grant, ComparisonOperator op) => new()
    {
        Id = $"{grant.Id}_credit",
        AccountId = EngineIds.Account,
        EnvironmentId = catalog.EnvironmentId,
        ConditionType = ConditionType.Credit,
        Operator = op,
        CreditId = grant.ValueCreditId,
        ConsumptionRate = grant.CreditConsumptionRate ?? 1,
        EventSubtype = catalog.Features.TryGetValue(grant.FeatureId, out var feature) ? feature.EventSubtype : null,
        TraitValue = string.Empty,
    };

    private Condition SetCondition(string id, ConditionType type, string resourceId) => new()
    {
        Id = id,
        AccountId = EngineIds.Account,
        EnvironmentId = catalog.EnvironmentId,
        ConditionType = type,
        Operator = ComparisonOperator.Equal,
        ResourceIds = [resourceId],
        TraitValue = string.Empty,
    };

    private Condition Condition(ConditionRecord c) => new()
    {
        Id = c.Id,
        AccountId = EngineIds.Account,
        EnvironmentId = catalog.EnvironmentId,
        ConditionType = WireFormat.TryParse(c.ConditionType, out ConditionType type) ? type : ConditionType.Unknown,
        Operator = WireFormat.TryParse(c.Operator, out ComparisonOperator op) ? op : ComparisonOperator.Unknown,
        ResourceIds = c.ResourceIds,
        TraitDefinition = c.TraitId is { } traitId ? Definition(traitId) : null,
        TraitValue = c.TraitValue,
        ComparisonTraitDefinition = c.ComparisonTraitId is { } comparisonId ? Definition(comparisonId) : null,
        EventSubtype = c.EventSubtype,
        MetricValue = c.MetricValue,
        MetricPeriod = c.MetricPeriod is { } p && WireFormat.TryParse(p, out MetricPeriod period) ? period : null,
        MetricPeriodMonthReset = c.MetricPeriodMonthReset is { } r && WireFormat.TryParse(r, out MonthReset reset) ? reset : null,
        CreditId = c.CreditId,
        ConsumptionRate = c.ConsumptionRate,
    };

    /// <summary>The engine's definition of a trait; an unknown id still gets one, which then matches no trait.</summary>
    private TraitDefinition Definition(string traitId) =>
        catalog.TraitsById.TryGetValue(traitId, out var trait)
            ? new TraitDefinition { Id = trait.Id, ComparableType = trait.ComparableType, EntityType = trait.EntityType }
            : new TraitDefinition { Id = traitId, ComparableType = ComparableType.String, EntityType = EntityType.Company };
}
