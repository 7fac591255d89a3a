using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Companies;

/// <summary>
/// Schematic's <c>ScheduledDowngradeResponseData</c>: the plan a company moves to at <c>effective_after</c>. Prices are
/// monthly, in the currency's smallest unit, 0 for a plan without a price. A scheduled cancellation (no plan after) is
/// not shown here, as Schematic has no shape for it. Tollgate adds <c>failed_at</c> and <c>failure_reason</c>: set when a
/// downgrade to be made in Stripe could not be made and the loop gave up (the company then stays on its plan).
/// </summary>
public sealed record ScheduledDowngradeResponse(
    string Id,
    string Currency,
    DateTimeOffset EffectiveAfter,
    string FromPlanId,
    string FromPlanName,
    long FromSubscriptionPrice,
    string Interval,
    string? ScheduledInterval,
    long? ScheduledPrice,
    string ToPlanId,
    string ToPlanName,
    DateTimeOffset? FailedAt,
    string? FailureReason)
{
    internal static ScheduledDowngradeResponse? From(ScheduledDowngrade? scheduled, CatalogSnapshot catalog) =>
        scheduled is { FromPlanId: { } from, ToPlanId: { } to }
            ? new(
                scheduled.Id, scheduled.Currency, scheduled.EffectiveAfter, from, catalog.Plans.GetValueOrDefault(from)?.Name ?? string.Empty, scheduled.FromPrice,
                scheduled.Interval, scheduled.Interval, scheduled.ToPrice, to, catalog.Plans.GetValueOrDefault(to)?.Name ?? string.Empty, scheduled.FailedAt,
                scheduled.FailureReason)
            : null;
}
