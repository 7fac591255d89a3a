using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Builds the company (and the user) the rules are checked against, from the same small id pools, with metric rows and
/// credit balances placed around the limits the rules use. Called after the rules, so it knows what they look up.
/// </summary>
internal sealed class CompanyGenerator(ScenarioUniverse universe)
{
    private readonly Random _random = universe.Random;
    private readonly ConditionGenerator _conditions = new(universe);
    private readonly BillingGenerator _billing = new(universe);

    public JsonObject Company(IReadOnlyList<JsonNode?> rules)
    {
        var basePlan = _random.Chance(0.75) ? _random.Pick(Vocabulary.PlanIds) : null;
        var plans = _random.Subset(Vocabulary.PlanIds, 3);
        if (_random.Chance(universe.BillingFocus ? 0.9 : 0.4) && !plans.Contains(Vocabulary.PlanIds[1]))
        {
            plans.Add(Vocabulary.PlanIds[1]);
        }

        if (basePlan is not null && _random.Chance(0.8) && !plans.Contains(basePlan))
        {
            plans.Insert(0, basePlan);
        }

        return new JsonObjectBuilder(_random)
            .Required("id", universe.CompanyId)
            .Required("accountId", Vocabulary.AccountId)
            .Required("environmentId", Vocabulary.EnvironmentId)
            .Optional("keys", Keys("domain", universe.CompanyId + ".example.com"))
            .Optional("basePlanId", basePlan)
            .Optional("planIds", List(plans))
            .Optional("planVersionIds", List(_random.Subset(Vocabulary.PlanVersionIds, 2)))
            .Optional("billingProductIds", List(_random.Subset(Vocabulary.BillingProductIds, 2)))
            .Optional("traits", Traits("company"))
            .Optional("metrics", _random.Chance(0.92) ? _billing.Metrics() : null)
            .Optional("creditBalances", _random.Chance(0.85) ? _billing.CreditBalances() : null)
            .Optional("creditPostpaid", _random.Chance(0.18) ? _billing.CreditPostpaid() : null)
            .Optional("subscription", _random.Chance(universe.BillingFocus ? 0.95 : 0.5) ? _billing.Subscription() : null)
            .Optional("rules", rules.Count > 0 || _random.Chance(0.5) ? new JsonArray([.. rules]) : null)
            .Optional("entitlements", _random.Chance(0.35) ? _billing.Entitlements() : null)
            .Build();
    }

    public JsonObject User(IReadOnlyList<JsonNode?> rules) => new JsonObjectBuilder(_random)
        .Required("id", universe.UserId)
        .Required("accountId", Vocabulary.AccountId)
        .Required("environmentId", Vocabulary.EnvironmentId)
        .Optional("keys", Keys("email", universe.UserId + "@example.com"))
        .Optional("traits", Traits("user"))
        .Optional("rules", rules.Count > 0 || _random.Chance(0.5) ? new JsonArray([.. rules]) : null)
        .Build();

    /// <summary>
    /// Traits of one entity: most definitions present, some missing, now and then one declared with another type, one
    /// without a definition, or a second entry for the same definition.
    /// </summary>
    private JsonArray? Traits(string entityType)
    {
        if (_random.Chance(0.08))
        {
            return null;
        }

        var traits = new JsonArray();
        foreach (var definition in Vocabulary.TraitDefinitions.Where(d => d.EntityType == entityType || _random.Chance(0.04)))
        {
            if (!_random.Chance(0.72))
            {
                continue;
            }

            var declared = _random.Chance(0.08) ? definition with { ComparableType = _random.Pick(Vocabulary.ComparableTypes) } : definition;
            var copies = _random.Chance(0.05) ? 2 : 1;
            for (var i = 0; i < copies; i++)
            {
                traits.Add(new JsonObjectBuilder(_random)
                    .Optional("traitDefinition", _random.Chance(0.03) ? null : _conditions.TraitDefinitionJson(declared))
                    .Required("value", EdgeValues.TraitValue(_random, declared.ComparableType, universe.FocalLimit))
                    .Build());
            }
        }

        return [.. traits.OrderBy(_ => _random.Next()).Select(t => t?.DeepClone())];
    }

    private JsonObject? Keys(string name, string value) => _random.Chance(0.2) ? null : new JsonObject { [name] = value };

    private JsonArray? List(List<string> ids) => ids.Count == 0 && _random.Chance(0.4) ? null : [.. ids.Select(id => (JsonNode?)id)];
}
