using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Preflight (what-if) options. The engine reads them in snake_case only, so unlike every other object their field
/// names are never re-spelled. Zero, negative and fractional amounts sit on the validation and precedence edges.
/// </summary>
internal static class OptionsGenerator
{
    public static JsonObject? Options(ScenarioUniverse universe)
    {
        var random = universe.Random;
        if (random.Chance(0.5))
        {
            return null;
        }

        var options = new JsonObject();
        if (random.Chance(0.06))
        {
            return options;
        }

        if (random.Chance(0.45))
        {
            options["usage"] = random.Weighted<JsonNode?>((20, 0), (25, 1), (15, 2), (15, universe.FocalLimit), (10, 5), (4, -1), (5, null));
        }

        if (random.Chance(0.4))
        {
            var subtype = random.Chance(0.85) ? random.Pick(Vocabulary.EventSubtypes) : "other_event";
            options["event_usage"] = new JsonObject
            {
                ["event_subtype"] = subtype,
                ["quantity"] = random.Weighted<JsonNode>((20, 0), (30, 1), (20, 3), (15, universe.FocalLimit), (6, -2)),
            };
        }

        if (random.Chance(0.35) || options.Count == 0)
        {
            var costs = new JsonObject();
            foreach (var creditId in Vocabulary.CreditIds.Where(_ => random.Chance(0.6)))
            {
                costs[creditId] = random.Weighted<JsonNode>((20, 0), (20, 1), (15, 0.5), (15, 3), (15, 2.5), (4, -1), (5, 100));
            }

            options["credit_cost"] = costs;
        }

        return options;
    }
}
