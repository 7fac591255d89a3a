namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Why a company write changes its plans, as Schematic's plan change says it: <see cref="Action"/> (its
/// <c>PlanChangeAction</c>), <see cref="ActorType"/>, whether the move is a downgrade (null: no subscription changed
/// with it, so the change names no subscription action), and whether the change is kept in
/// the plan change log (<c>GET /plan-changes</c>) or only told to webhooks (<c>company.plan_changed</c>).
/// </summary>
internal sealed record PlanChangeCause(string Action, string ActorType, bool? Downgrade, bool Logged)
{
    /// <summary>
    /// A write of the company itself (upsert, set plans, a sync): Schematic's <c>company_upsert</c>, told to webhooks
    /// only; the log keeps the changes asked for through manage-plan.
    /// </summary>
    public static PlanChangeCause CompanyWrite(Environments.RequestScope scope) =>
        new("company_upsert", scope is { ApiKeyId: not null } ? "api_key" : "system", null, false);
}
