namespace Tollgate.Server.Catalog;

/// <summary>
/// The ids of the flag rules a plan entitlement or company override compiles to (Evaluation/RuleCompiler): the grant's
/// own id for the rule that allows, and <c>{id}_exceeded</c> for the rule that answers false once a limit is reached.
/// </summary>
internal static class GrantRuleIds
{
    public static string Allowed(GrantRecord grant) => grant.Id;

    public static string? UsageExceeded(GrantRecord grant) => grant.ValueType switch
    {
        EntitlementValueKind.Numeric or EntitlementValueKind.Trait => $"{grant.Id}_exceeded",
        EntitlementValueKind.Credit when grant.ValueCreditId is not null => $"{grant.Id}_exceeded",
        _ => null,
    };
}
