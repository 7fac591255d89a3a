using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Builds rules shaped the way Schematic's server emits them (an override targets the company, an entitlement a plan
/// plus a usage or credit condition, a usage-exceeded rule the inverse check with value false), mixed with free-form
/// rules so that every rule type also meets every kind of condition and group.
/// </summary>
internal sealed class RuleGenerator(ScenarioUniverse universe)
{
    private readonly Random _random = universe.Random;
    private readonly ConditionGenerator _conditions = new(universe);

    public string RuleType() => universe.BillingFocus
        ? _random.Weighted((20, "company_override"), (40, "plan_entitlement"), (15, "company_override_usage_exceeded"), (25, "plan_entitlement_usage_exceeded"))
        : _random.Weighted(
        (3, "global_override"), (26, "company_override"), (44, "plan_entitlement"), (22, "company_override_usage_exceeded"),
        (30, "plan_entitlement_usage_exceeded"), (60, "standard"), (12, "default"));

    /// <summary>A rule; <paramref name="flagId"/> is written as the rule's flagId when given (company and user rules).</summary>
    public JsonObject Rule(string ruleType, string? flagId)
    {
        var freeForm = _random.Chance(0.2);
        var conditions = freeForm ? FreeConditions() : ShapedConditions(ruleType);
        var groups = _random.Weighted((55, 0), (28, 1), (17, _random.Next(2, 4)));
        var value = ruleType.EndsWith("usage_exceeded", StringComparison.Ordinal) ? _random.Chance(0.2) : _random.Chance(0.75);
        var id = universe.NextId("rule");
        return new JsonObjectBuilder(_random)
            .Required("id", id)
            .Optional("flagId", flagId)
            .Required("accountId", Vocabulary.AccountId)
            .Required("environmentId", Vocabulary.EnvironmentId)
            .Required("ruleType", ruleType)
            .Required("name", _random.Chance(0.5) ? id : _random.Pick(Vocabulary.RuleNames))
            .Required("priority", Priority())
            .Required("value", value)
            .Optional("conditions", _random.Chance(0.05) ? null : new JsonArray([.. conditions]))
            .Optional("conditionGroups", groups == 0 && _random.Chance(0.3) ? null : new JsonArray([.. Enumerable.Range(0, groups).Select(_ => Group())]))
            .Build();
    }

    private long Priority() => _random.Weighted(
        (30, 0L), (15, 1L), (10, 2L), (10, -1L), (8, 10L), (5, -5L), (15, (long)_random.Next(-3, 20)), (2, 1L << 40), (2, -(1L << 35)), (3, 100L));

    private List<JsonNode?> ShapedConditions(string ruleType)
    {
        List<JsonNode?> conditions = ruleType switch
        {
            "company_override" => [_conditions.OfType("company", "eq"), .. Usage(0.55, "lt")],
            "plan_entitlement" => [_conditions.OfType("plan", "eq"), .. Usage(0.8, "lt")],
            "company_override_usage_exceeded" => [_conditions.OfType("company", "eq"), .. Usage(0.9, "gte")],
            "plan_entitlement_usage_exceeded" => [_conditions.OfType("plan", "eq"), .. Usage(0.9, "gte")],
            "standard" => [.. Enumerable.Range(0, _random.Weighted((20, 0), (40, 1), (25, 2), (15, 3))).Select(_ => _conditions.AnyType())],
            _ => [.. Enumerable.Range(0, _random.Next(3)).Select(_ => _conditions.AnyType())],
        };

        // The first metric/trait condition feeds the usage fields, so its place relative to the plan condition matters.
        return _random.Chance(0.3) ? [.. conditions.OrderBy(_ => _random.Next())] : conditions;
    }

    /// <summary>The usage half of an entitlement: a metric (usually), trait or credit condition, or none.</summary>
    private List<JsonNode?> Usage(double probability, string usualOperator)
    {
        if (!_random.Chance(probability))
        {
            return [];
        }

        var op = _random.Chance(0.8) ? usualOperator : null;
        var type = universe.BillingFocus ? "metric" : _random.Weighted((65, "metric"), (17, "trait"), (18, "credit"));
        if (type == "credit" && op is not null)
        {
            op = usualOperator == "gte" ? _random.Pick(["gte", "gt"]) : "eq";
        }

        List<JsonNode?> usage = [_conditions.OfType(type, op)];
        if (_random.Chance(0.15))
        {
            usage.Add(_conditions.OfType(_random.Pick(["metric", "trait"])));
        }

        return usage;
    }

    private List<JsonNode?> FreeConditions() =>
        [.. Enumerable.Range(0, _random.Weighted((15, 0), (40, 1), (30, 2), (15, 3))).Select(_ => _conditions.AnyType())];

    private JsonObject Group()
    {
        var count = _random.Weighted((12, 0), (48, 1), (28, 2), (12, 3));
        var builder = new JsonObjectBuilder(_random);
        return (count == 0 && _random.Chance(0.3)
                ? builder.Optional("conditions", null)
                : builder.Required("conditions", new JsonArray([.. Enumerable.Range(0, count).Select(_ => _conditions.AnyType())])))
            .Build();
    }
}
