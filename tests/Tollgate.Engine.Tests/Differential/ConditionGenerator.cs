using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>Builds rule conditions of every type, with operators and values chosen so they both match and fail.</summary>
internal sealed class ConditionGenerator(ScenarioUniverse universe)
{
    private readonly Random _random = universe.Random;

    public JsonObject AnyType()
    {
        var type = _random.Weighted(
            (10, "company"), (6, "user"), (12, "plan"), (7, "base_plan"), (5, "plan_version"), (5, "billing_product"),
            (18, "trait"), (18, "metric"), (12, "credit"), (2, "unknown"));
        return OfType(type);
    }

    public JsonObject OfType(string conditionType, string? forcedOperator = null) => conditionType switch
    {
        "company" => Membership(conditionType, universe.CompanyId, Vocabulary.CompanyIds, forcedOperator),
        "user" => Membership(conditionType, universe.UserId, Vocabulary.UserIds, forcedOperator),
        "plan" => Membership(conditionType, Vocabulary.PlanIds[1], Vocabulary.PlanIds, forcedOperator),
        "plan_version" => Membership(conditionType, Vocabulary.PlanVersionIds[0], Vocabulary.PlanVersionIds, forcedOperator),
        "billing_product" => Membership(conditionType, Vocabulary.BillingProductIds[0], Vocabulary.BillingProductIds, forcedOperator),
        "base_plan" => BasePlan(forcedOperator),
        "trait" => Trait(forcedOperator),
        "metric" => Metric(forcedOperator),
        "credit" => Credit(forcedOperator),
        _ => Start(_random.Pick(Vocabulary.UnknownConditionTypes), Operator(forcedOperator, "eq"))
            .Optional("resourceIds", Ids(_random.Subset(Vocabulary.CompanyIds, 2)))
            .Required("traitValue", "")
            .Build(),
    };

    private JsonObject Membership(string conditionType, string usualId, string[] pool, string? forcedOperator)
    {
        var ids = _random.Subset(pool, 2);
        if (_random.Chance(0.65) && !ids.Contains(usualId))
        {
            ids.Insert(_random.Next(ids.Count + 1), usualId);
        }

        var builder = Start(conditionType, Operator(forcedOperator, SetOperator()));
        return (_random.Chance(0.04) ? builder.Optional("resourceIds", null) : builder.Required("resourceIds", Ids(ids)))
            .Required("traitValue", _random.Chance(0.05) ? "ignored" : "")
            .Build();
    }

    private JsonObject BasePlan(string? forcedOperator)
    {
        var op = Operator(forcedOperator, _random.Weighted((30, "eq"), (25, "ne"), (15, "is_empty"), (15, "not_empty"), (15, AnyOperator())));
        var ids = _random.Subset(Vocabulary.PlanIds, 2);
        return Start("base_plan", op).Required("resourceIds", Ids(ids)).Required("traitValue", "").Build();
    }

    private JsonObject Trait(string? forcedOperator)
    {
        var definition = _random.Chance(0.95) ? _random.Pick(Vocabulary.TraitDefinitions) : null;
        var declaredType = definition is null ? "string"
            : _random.Chance(0.12) ? _random.Pick(Vocabulary.ComparableTypes) : definition.ComparableType;
        var comparison = definition is not null && _random.Chance(0.15) ? ComparisonDefinition(definition.EntityType) : null;
        return Start("trait", Operator(forcedOperator, _random.Weighted((85, _random.Pick(Vocabulary.Operators)), (15, AnyOperator()))))
            .Optional("resourceIds", _random.Chance(0.7) ? Ids([]) : null)
            .Required("traitValue", EdgeValues.TraitValue(_random, declaredType, universe.FocalLimit))
            .Optional("traitDefinition", definition is null ? null : TraitDefinitionJson(definition with { ComparableType = declaredType }))
            .Optional("comparisonTraitDefinition", comparison is null ? null : TraitDefinitionJson(comparison))
            .Build();
    }

    private JsonObject Metric(string? forcedOperator)
    {
        var subtype = _random.Chance(0.96) ? _random.Pick(Vocabulary.EventSubtypes) : null;
        var period = universe.BillingFocus && _random.Chance(0.75) ? "current_month"
            : _random.Chance(0.88) ? _random.Weighted((20, "all_time"), (22, "current_day"), (22, "current_week"), (36, "current_month")) : null;
        var monthReset = universe.BillingFocus && _random.Chance(0.8) ? "billing_cycle"
            : _random.Chance(period == "current_month" ? 0.75 : 0.25) ? _random.Pick(Vocabulary.MonthResets) : null;
        long? limit = _random.Chance(0.06) ? null : _random.Chance(0.85) ? universe.FocalLimit : universe.NearLimit();
        var comparison = _random.Chance(0.12) ? ComparisonDefinition(_random.Chance(0.85) ? "company" : "user") : null;
        if (subtype is not null)
        {
            universe.SubtypesUsed.Add(subtype);
            universe.MetricKeysUsed.Add((subtype, period ?? "all_time", monthReset ?? "first_of_month"));
        }

        var op = Operator(forcedOperator, _random.Weighted((30, "lt"), (25, "gte"), (8, "lte"), (8, "gt"), (12, "eq"), (17, AnyOperator())));
        return Start("metric", op)
            .Optional("resourceIds", _random.Chance(0.7) ? Ids([]) : null)
            .Required("traitValue", _random.Chance(0.05) ? "12" : "")
            .Optional("eventSubtype", subtype)
            .Optional("metricValue", limit)
            .Optional("metricPeriod", period)
            .Optional("metricPeriodMonthReset", monthReset)
            .Optional("comparisonTraitDefinition", comparison is null ? null : TraitDefinitionJson(comparison))
            .Build();
    }

    private JsonObject Credit(string? forcedOperator)
    {
        var creditId = _random.Chance(0.95) ? _random.Pick(Vocabulary.CreditIds) : null;
        double? rate = _random.Chance(0.3) ? null : _random.Pick([1.0, 1, 2, 2, 0.5, 2.5, 0, 0.1, 3]);
        if (creditId is not null)
        {
            universe.CreditIdsUsed.Add(creditId);
        }

        var op = Operator(forcedOperator, _random.Weighted((30, "eq"), (20, "gte"), (12, "gt"), (8, "lt"), (8, "lte"), (8, "ne"), (14, AnyOperator())));
        return Start("credit", op)
            .Optional("resourceIds", _random.Chance(0.7) ? Ids([]) : null)
            .Required("traitValue", "")
            .Optional("creditId", creditId)
            .Optional("consumptionRate", rate)
            .Build();
    }

    /// <summary>A definition of the same entity to compare against: another int trait, a string trait, or one nobody has.</summary>
    private TraitDefinitionSpec ComparisonDefinition(string entityType) => _random.Next(6) switch
    {
        0 => new("trait_missing", "int", entityType),
        1 => _random.Pick(Vocabulary.TraitDefinitions.Where(d => d.EntityType == entityType).ToArray()),
        _ => Vocabulary.TraitDefinitions.First(d => d.EntityType == entityType && d.ComparableType == "int"),
    };

    public JsonObject TraitDefinitionJson(TraitDefinitionSpec definition) => new JsonObjectBuilder(_random)
        .Required("id", definition.Id)
        .Required("comparableType", definition.ComparableType)
        .Required("entityType", definition.EntityType)
        .Build();

    private JsonObjectBuilder Start(string conditionType, string op) => new JsonObjectBuilder(_random)
        .Required("id", universe.NextId("cond"))
        .Required("accountId", Vocabulary.AccountId)
        .Required("environmentId", Vocabulary.EnvironmentId)
        .Required("conditionType", conditionType)
        .Required("operator", op);

    private string Operator(string? forced, string usual) =>
        forced ?? (_random.Chance(0.03) ? _random.Pick(Vocabulary.UnknownOperators) : usual);

    private string SetOperator() => _random.Weighted((50, "eq"), (30, "ne"), (20, AnyOperator()));

    private string AnyOperator() => _random.Pick(Vocabulary.Operators);

    private static JsonArray Ids(IEnumerable<string> ids) => [.. ids.Select(id => (JsonNode?)id)];
}
