using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// What a batch of scenarios actually exercised, read back from the JSON itself (not from the generator's intentions):
/// the enum values used per field, option kinds, spellings, and how the oracle's answers are distributed.
/// </summary>
internal sealed class ScenarioCoverage
{
    private static readonly HashSet<string> EnumFields =
    [
        "ruleType", "conditionType", "operator", "comparableType", "entityType", "metricPeriod", "metricPeriodMonthReset",
        "period", "monthReset", "valueType",
    ];

    /// <summary>
    /// Values seen per enum-like field over the valid scenarios, keyed by the property holding the object and the field,
    /// both in camelCase: <c>conditions.operator</c>, <c>metrics.period</c>, <c>entitlements.metricPeriod</c>.
    /// </summary>
    public Dictionary<string, HashSet<string>> ValuesByField { get; } = [];

    public HashSet<string> OptionKinds { get; } = [];

    public HashSet<FieldSpelling> Spellings { get; } = [];

    public int ExplicitNulls { get; private set; }

    public int ValidScenarios { get; private set; }

    public int InvalidScenarios { get; private set; }

    /// <summary>Winning <c>ruleType</c> per answer, with "(none)" for the flag default.</summary>
    public Dictionary<string, int> Winners { get; } = [];

    /// <summary>Counts of notable answer features: "err", "entitlement", "featureUsageResetAt", "featureUsagePeriod=…".</summary>
    public Dictionary<string, int> AnswerFeatures { get; } = [];

    /// <summary>Scenarios whose oracle verdict (rejected or not) differs from whether the generator meant them to be invalid.</summary>
    public List<string> UnintendedVerdicts { get; } = [];

    public static ScenarioCoverage Measure(IReadOnlyList<ScenarioInput> scenarios, IReadOnlyList<OracleAnswer> answers)
    {
        var coverage = new ScenarioCoverage();
        for (var i = 0; i < scenarios.Count; i++)
        {
            coverage.Add(scenarios[i], answers[i]);
        }

        return coverage;
    }

    public HashSet<string> Values(string field) => ValuesByField.GetValueOrDefault(field) ?? [];

    private void Add(ScenarioInput scenario, OracleAnswer answer)
    {
        if ((scenario.Invalid is not null) != (answer.Error is not null))
        {
            UnintendedVerdicts.Add($"{scenario.Id}: invalid={scenario.Invalid ?? "no"}, oracle={answer.Error ?? "answered"}");
        }

        if (scenario.Invalid is not null)
        {
            InvalidScenarios++;
            return;
        }

        ValidScenarios++;
        Walk(JsonNode.Parse(scenario.FlagJson), "flag");
        Walk(scenario.CompanyJson is null ? null : JsonNode.Parse(scenario.CompanyJson), "company");
        Walk(scenario.UserJson is null ? null : JsonNode.Parse(scenario.UserJson), "user");

        AddOptions(scenario.OptionsJson);
        if (answer.ResultJson is not null)
        {
            AddAnswer(answer.ResultJson);
        }
    }

    private void Walk(JsonNode? node, string role)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Walk(item, role);
            }
        }
        else if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                var name = JsonObjectBuilder.ToCamelCase(key);
                Spellings.Add(key.Contains('_', StringComparison.Ordinal) ? FieldSpelling.Snake : FieldSpelling.Camel);
                ExplicitNulls += value is null ? 1 : 0;
                if (EnumFields.Contains(name) && value is JsonValue text && text.TryGetValue<string>(out var enumValue))
                {
                    Values($"{role}.{name}", enumValue);
                }

                Walk(value, name);
            }
        }
    }

    private void AddOptions(string? optionsJson)
    {
        if (optionsJson is null)
        {
            OptionKinds.Add("absent");
            return;
        }

        var options = JsonNode.Parse(optionsJson)!.AsObject();
        if (options.Count == 0)
        {
            OptionKinds.Add("empty");
        }

        foreach (var (key, value) in options)
        {
            OptionKinds.Add(value is null ? key + "=null" : key);
        }
    }

    private void AddAnswer(string resultJson)
    {
        using var document = JsonDocument.Parse(resultJson);
        var result = document.RootElement;
        var ruleType = result.GetProperty("ruleType");
        Count(Winners, ruleType.ValueKind == JsonValueKind.Null ? "(none)" : ruleType.GetString()!);
        if (result.TryGetProperty("err", out _))
        {
            Count(AnswerFeatures, "err");
        }

        foreach (var field in new[] { "entitlement", "featureUsageResetAt", "featureUsage" })
        {
            if (result.GetProperty(field).ValueKind != JsonValueKind.Null)
            {
                Count(AnswerFeatures, field);
            }
        }

        if (result.GetProperty("featureUsagePeriod").GetString() is { } period)
        {
            Count(AnswerFeatures, "featureUsagePeriod=" + period);
        }
    }

    private void Values(string field, string value)
    {
        if (!ValuesByField.TryGetValue(field, out var values))
        {
            ValuesByField[field] = values = [];
        }

        values.Add(value);
    }

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    public string Describe() =>
        $"valid {ValidScenarios}, invalid {InvalidScenarios}; winners: "
        + string.Join(", ", Winners.OrderByDescending(w => w.Value).Select(w => $"{w.Key} {w.Value}"))
        + "; answers: " + string.Join(", ", AnswerFeatures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"))
        + "; options: " + string.Join(", ", OptionKinds.Order(StringComparer.Ordinal));
}
