using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Ofrep;

/// <summary>A check's answer in OFREP's words.</summary>
internal static class OfrepMapper
{
    public static OfrepEvaluation ToEvaluation(CheckFlagResponse answer)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["reason"] = answer.Reason };
        Add(metadata, "flag_id", answer.FlagId);
        Add(metadata, "rule_id", answer.RuleId);
        Add(metadata, "rule_type", answer.RuleType);
        Add(metadata, "company_id", answer.CompanyId);
        Add(metadata, "user_id", answer.UserId);
        return new OfrepEvaluation(answer.Flag, answer.Value, ReasonOf(answer.RuleType), answer.Value ? "on" : "off", metadata);
    }

    /// <summary>
    /// OpenFeature's reason: a global override answers everyone alike (STATIC); any other rule matched this context
    /// (TARGETING_MATCH); no rule, or a company or user that does not exist, leaves the flag's default (DEFAULT).
    /// </summary>
    private static string ReasonOf(string? ruleType) => ruleType switch
    {
        null or "default" => "DEFAULT",
        "global_override" => "STATIC",
        _ => "TARGETING_MATCH",
    };

    private static void Add(Dictionary<string, string> metadata, string name, string? value)
    {
        if (value is not null)
        {
            metadata[name] = value;
        }
    }
}
