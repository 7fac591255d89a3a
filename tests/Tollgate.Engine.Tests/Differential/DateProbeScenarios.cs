using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Scenarios that put every text of <see cref="DateTexts"/> through a date trait condition with every operator: as the
/// company's (or user's) trait against the RFC 3339 instant it was written from, as the condition's value against that
/// instant as the trait, as the condition's value against a company and a user without the trait, and in seeded pairs
/// of texts on both sides. Together they pin down whether each text is read, and as which instant.
/// </summary>
internal static class DateProbeScenarios
{
    private const string Now = "2025-06-18T15:30:00.000Z";
    private const int PairCount = 3_000;

    /// <summary>The instant of the example (<c>Wed Jun 18 2025 10:00:00 GMT-0700</c>), which most texts sit near.</summary>
    private const string CommonAnchor = "2025-06-18T17:00:00Z";

    public static List<string> Lines(int seed)
    {
        var lines = new List<string>();
        var texts = DateTexts.All;
        for (var t = 0; t < texts.Count; t++)
        {
            var (text, anchor) = (texts[t].Text, texts[t].Anchor);
            var id = $"date-{t:D4}";
            foreach (var op in Vocabulary.Operators)
            {
                // The text as the company's trait, then as the condition's value; is_empty and not_empty read only the trait.
                lines.Add(Line($"{id}-trait-{op}", op, IsEmptiness(op) ? "" : anchor, "company", companyTrait: text, userTrait: null));
                if (!IsEmptiness(op))
                {
                    lines.Add(Line($"{id}-value-{op}", op, text, "company", companyTrait: anchor, userTrait: null));
                }

                // The case: the text as the condition's value, against a user without the trait.
                lines.Add(Line($"{id}-value-{op}-no-user-trait", op, text, "user", companyTrait: text, userTrait: null));
            }

            foreach (var op in (string[])["eq", "gt", "lt"])
            {
                lines.Add(Line($"{id}-trait-{op}-common", op, CommonAnchor, "company", companyTrait: text, userTrait: null));
                lines.Add(Line($"{id}-value-{op}-common", op, text, "company", companyTrait: CommonAnchor, userTrait: null));
                lines.Add(Line($"{id}-value-{op}-no-company-trait", op, text, "company", companyTrait: null, userTrait: null));
                lines.Add(Line($"{id}-user-trait-{op}", op, CommonAnchor, "user", companyTrait: null, userTrait: text));
            }
        }

        var random = new Random(seed);
        for (var p = 0; p < PairCount; p++)
        {
            var left = random.Pick(texts).Text;
            var right = random.Pick(texts).Text;
            lines.Add(Line($"date-pair-{p:D4}", random.Pick(Vocabulary.Operators), right, "company", companyTrait: left, userTrait: null));
        }

        return lines;
    }

    private static bool IsEmptiness(string op) => op is "is_empty" or "not_empty";

    private static string Line(string id, string op, string conditionValue, string entityType, string? companyTrait, string? userTrait)
    {
        var definition = new JsonObject { ["id"] = "td_date", ["comparableType"] = "date", ["entityType"] = entityType };
        var condition = new JsonObject
        {
            ["id"] = "c_date", ["accountId"] = Vocabulary.AccountId, ["environmentId"] = Vocabulary.EnvironmentId,
            ["conditionType"] = "trait", ["operator"] = op, ["resourceIds"] = new JsonArray(), ["traitValue"] = conditionValue,
            ["traitDefinition"] = definition,
        };
        var rule = new JsonObject
        {
            ["id"] = "r_date", ["accountId"] = Vocabulary.AccountId, ["environmentId"] = Vocabulary.EnvironmentId,
            ["ruleType"] = "standard", ["name"] = "date rule", ["priority"] = 1, ["value"] = true,
            ["conditions"] = new JsonArray(condition), ["conditionGroups"] = new JsonArray(),
        };
        var flag = new JsonObject
        {
            ["id"] = Vocabulary.FlagId, ["accountId"] = Vocabulary.AccountId, ["environmentId"] = Vocabulary.EnvironmentId,
            ["key"] = "date-flag", ["defaultValue"] = false, ["rules"] = new JsonArray(rule),
        };
        return new JsonObject
        {
            ["id"] = id,
            ["now"] = Now,
            ["flag"] = flag,
            ["company"] = Entity("comp_date", companyTrait, "company"),
            ["user"] = Entity("user_date", userTrait, "user"),
        }.ToJsonString();
    }

    private static JsonObject Entity(string id, string? traitValue, string entityType)
    {
        var traits = new JsonArray();
        if (traitValue is not null)
        {
            traits.Add(new JsonObject
            {
                ["traitDefinition"] = new JsonObject { ["id"] = "td_date", ["comparableType"] = "date", ["entityType"] = entityType },
                ["value"] = traitValue,
            });
        }

        return new JsonObject
        {
            ["id"] = id, ["accountId"] = Vocabulary.AccountId, ["environmentId"] = Vocabulary.EnvironmentId,
            ["keys"] = new JsonObject(), ["traits"] = traits,
        };
    }
}
