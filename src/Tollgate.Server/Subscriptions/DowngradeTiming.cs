namespace Tollgate.Server.Subscriptions;

/// <summary>
/// When a downgrade takes effect. Schematic's default, and Tollgate's until the plan group's
/// <c>scheduled_downgrade_behavior</c> is read here: at the end of the company's billing period when it has one
/// running, else at once. This is the one place manage-plan consults a plan-group setting.
/// </summary>
internal static class DowngradeTiming
{
    public static ValueTask<bool> AtPeriodEndAsync(string environmentId, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
