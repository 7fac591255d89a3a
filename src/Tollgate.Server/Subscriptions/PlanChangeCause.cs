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
    /// A write of the company that changes its plans without being asked to (a sync, a write naming no plans):
    /// Schematic's <c>company_upsert</c>, told to webhooks only.
    /// </summary>
    public static PlanChangeCause CompanyWrite(Environments.RequestScope scope) =>
        new("company_upsert", ActorOf(scope), null, false);

    /// <summary>
    /// A change of plans asked for through a company write (an upsert naming plans, the company's plans set):
    /// Schematic's <c>company_upsert</c>, kept in the log like a manage-plan change and told to webhooks. Only the plans
    /// asked for move here: a plan held keeps its version (<c>CompanyPlanVersions.Assign</c>), so version migrations and
    /// Stripe syncs, which take other paths, are never logged per company through this cause.
    /// </summary>
    public static PlanChangeCause AskedInCompanyWrite(Environments.RequestScope scope) =>
        new("company_upsert", ActorOf(scope), null, true);

    private static string ActorOf(Environments.RequestScope scope) => scope is { ApiKeyId: not null } ? "api_key" : "system";
}
