namespace Tollgate.Server.Catalog;

/// <summary>
/// The ids of the flag rules a plan entitlement or company override compiles to (Evaluation/RuleCompiler): the grant's
/// own id for the rule that allows, and <c>{id}_exceeded</c> for the rule that answers false once a limit is reached.
/// </summary>
internal static class GrantRuleIds
{
    private const string ExceededSuffix = "_exceeded";

    public static string Allowed(GrantRecord grant) => grant.Id;

    /// <summary>The id of the usage-exceeded rule compiled from the grant <paramref name="grantId"/>.</summary>
    public static string ExceededOf(string grantId) => grantId + ExceededSuffix;

    /// <summary>The grant a compiled rule came from: its id, without the usage-exceeded suffix.</summary>
    public static string GrantIdOf(string ruleId) =>
        ruleId.EndsWith(ExceededSuffix, StringComparison.Ordinal) ? ruleId[..^ExceededSuffix.Length] : ruleId;

    public static string? UsageExceeded(GrantRecord grant) => grant.ValueType switch
    {
        EntitlementValueKind.Numeric or EntitlementValueKind.Trait => ExceededOf(grant.Id),
        EntitlementValueKind.Credit when grant.ValueCreditId is not null => ExceededOf(grant.Id),
        _ => null,
    };
}
