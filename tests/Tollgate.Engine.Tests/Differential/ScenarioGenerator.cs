using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Deterministic generator of rules-engine scenarios (one JSON line each, in the oracle's input format) for the
/// differential test. The same seed always yields the same lines, so a disagreement can be replayed by id.
/// </summary>
internal static class ScenarioGenerator
{
    public const int DefaultSeed = 20_250_618;
    public const int DefaultCount = 4_000;

    /// <summary>Share of scenarios deliberately broken so that the engine must reject them.</summary>
    public const double InvalidShare = 0.04;

    private static readonly JsonSerializerOptions EscapingWriter = new();
    private static readonly JsonSerializerOptions RelaxedWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static List<string> GenerateLines(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => GenerateLine(random, $"s{seed}-{i:D5}"))];
    }

    private static string GenerateLine(Random random, string id)
    {
        var universe = new ScenarioUniverse(random);
        var rules = new RuleGenerator(universe);
        var flagRules = Enumerable.Range(0, random.Weighted((5, 0), (22, 1), (25, 2), (20, 3), (14, 4), (14, random.Next(5, 9))))
            .Select(_ => (JsonNode?)rules.Rule(rules.RuleType(), FlagRuleFlagId(random)))
            .ToList();
        var companyRules = EntityRules(random, rules, random.Chance(0.3));
        var userRules = EntityRules(random, rules, random.Chance(0.15));
        var flag = new JsonObjectBuilder(random)
            .Required("id", random.Chance(0.93) ? Vocabulary.FlagId : Vocabulary.OtherFlagId)
            .Required("accountId", Vocabulary.AccountId)
            .Required("environmentId", Vocabulary.EnvironmentId)
            .Required("key", universe.FlagKey)
            .Required("defaultValue", random.Chance(0.4))
            .Optional("rules", flagRules.Count == 0 && random.Chance(0.4) ? null : new JsonArray([.. flagRules]))
            .Build();

        // Company and user come after all rules, so their data can be built around what the rules look up.
        var entities = new CompanyGenerator(universe);
        var company = random.Chance(universe.BillingFocus ? 0.98 : 0.88) ? entities.Company(companyRules) : null;
        var user = random.Chance(0.5) ? entities.User(userRules) : null;
        var line = new JsonObject
        {
            ["id"] = id,
            ["now"] = TimeText.Now(universe.Now),
            ["flag"] = flag,
            ["company"] = company,
            ["user"] = user,
            ["options"] = OptionsGenerator.Options(universe),
        };
        RemoveAbsent(random, line);
        if (random.Chance(InvalidShare))
        {
            line["invalid"] = InputCorruptor.Corrupt(random, line);
        }

        return line.ToJsonString(random.Chance(0.7) ? EscapingWriter : RelaxedWriter);
    }

    /// <summary>Rules delivered on the company or user: for this flag, for another flag, or without a flagId.</summary>
    private static List<JsonNode?> EntityRules(Random random, RuleGenerator rules, bool any)
    {
        if (!any)
        {
            return [];
        }

        return [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => (JsonNode?)rules.Rule(
            random.Weighted((40, "company_override"), (20, "company_override_usage_exceeded"), (40, rules.RuleType())),
            random.Weighted<string?>((70, Vocabulary.FlagId), (20, Vocabulary.OtherFlagId), (10, null))))];
    }

    /// <summary>Rules on the flag itself are never filtered by flagId, so it is usually absent and now and then foreign.</summary>
    private static string? FlagRuleFlagId(Random random) =>
        random.Weighted<string?>((60, null), (37, Vocabulary.FlagId), (3, Vocabulary.OtherFlagId));

    /// <summary>A null company, user or options is written as an explicit null or left out, at random.</summary>
    private static void RemoveAbsent(Random random, JsonObject line)
    {
        foreach (var part in new[] { "company", "user", "options" })
        {
            if (line[part] is null && random.Chance(0.5))
            {
                line.Remove(part);
            }
        }
    }
}
