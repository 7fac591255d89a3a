namespace Tollgate.Server.Credits;

/// <summary>The credit documents kept in the <c>resources</c> table (balances, grants and the ledger have tables of their own).</summary>
internal static class CreditKinds
{
    /// <summary>A credit type (Schematic's "billing credit").</summary>
    public const string CreditType = "billing_credit";

    /// <summary>A plan credit grant; its parent is the plan.</summary>
    public const string PlanGrant = "plan_credit_grant";

    /// <summary>A credit bundle; its parent is the credit type.</summary>
    public const string Bundle = "billing_credit_bundle";

    /// <summary>A spend policy; its parent is the credit type.</summary>
    public const string SpendPolicy = "billing_credit_spend_policy";
}
