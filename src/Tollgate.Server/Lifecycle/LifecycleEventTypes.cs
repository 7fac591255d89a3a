namespace Tollgate.Server.Lifecycle;

/// <summary>The lifecycle events recorded in <c>lifecycle_events</c>, named as Schematic's webhooks name them.</summary>
internal static class LifecycleEventTypes
{
    /// <summary>A company's base plan or add-ons changed.</summary>
    public const string CompanyPlanChanged = "company.plan_changed";

    /// <summary>A trial ended: converted or expired.</summary>
    public const string TrialEnded = "subscription.trial.ended";
}
