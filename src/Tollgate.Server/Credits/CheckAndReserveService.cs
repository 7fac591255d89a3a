using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Credits;

/// <summary>
/// <c>POST /flags/{key}/check-and-reserve</c>: for a flag whose feature the company has as a credit entitlement, checks
/// with the cost of the usage as preflight and, if allowed, holds that many credits. The check reads the warm view;
/// the hold is decided by the database (<see cref="CreditReservations.HoldAsync"/>), so when another request or node
/// took the credits meanwhile the answer turns to false rather than overspending.
/// </summary>
internal sealed class CheckAndReserveService(CheckService checks, CreditReservations reservations, CreditSpendPolicyService spendPolicies, RuntimeRegistry runtimes)
{
    public const string InsufficientCredits = "Insufficient credits to reserve";

    public const string OverSpendPolicy = "Exceeds the spend policy's max per draw";

    public async Task<CheckAndReserveResponse> CheckAndReserveAsync(RequestScope scope, string flagKey, CheckAndReserveRequest? request, CancellationToken cancellationToken)
    {
        var quantity = request?.Quantity is null ? 1 : CreditService.Positive(request.Quantity, "quantity");
        var idempotencyKey = Validate.Bounded(request?.IdempotencyKey, "idempotency_key");
        var expiresAt = reservations.ExpiryOf(request?.ExpiresAt, "expires_at");
        var asked = new CheckRequest(request?.Company, request?.User, request?.Preflight);
        var first = await checks.CheckAsync(scope, flagKey, asked, cancellationToken).ConfigureAwait(false);
        if (first.CompanyId is not { } companyId || first.Entitlement is not { ValueType: "credit", CreditId: { } creditId } entitlement)
        {
            return CheckAndReserveResponse.From(first, null);
        }

        // A retry with the same key answers the reservation already made instead of holding again.
        if (idempotencyKey is not null && await reservations.FindByKeyAsync(scope.EnvironmentId, idempotencyKey, cancellationToken).ConfigureAwait(false) is { } made)
        {
            return CheckAndReserveResponse.From(first, made.ToFlagCheck());
        }

        var rate = entitlement.ConsumptionRate ?? 1;
        var cost = quantity * rate;
        if (await spendPolicies.CapAsync(scope.EnvironmentId, companyId, first.UserId, creditId, cancellationToken).ConfigureAwait(false) is { } cap && cost > cap)
        {
            return CheckAndReserveResponse.From(first with { Value = false, Reason = OverSpendPolicy }, null);
        }

        var costs = new Dictionary<string, double>(asked.Preflight?.CreditCost ?? new Dictionary<string, double>(), StringComparer.Ordinal) { [creditId] = cost };
        var costed = asked with { Preflight = (asked.Preflight ?? new PreflightRequest(null, null, null)) with { CreditCost = costs } };
        var answer = await checks.CheckAsync(scope, flagKey, costed, cancellationToken).ConfigureAwait(false);
        if (!answer.Value)
        {
            return CheckAndReserveResponse.From(answer, null);
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var eventSubtype = catalog.Features.TryGetValue(entitlement.FeatureId, out var feature) ? feature.EventSubtype : null;
        var held = await reservations.HoldAsync(
            scope.EnvironmentId, companyId, creditId, cost, expiresAt, idempotencyKey, new ReservationDetails(entitlement.FeatureId, quantity, rate, eventSubtype), cancellationToken)
            .ConfigureAwait(false);
        if (held is not null)
        {
            return CheckAndReserveResponse.From(answer, held.ToFlagCheck());
        }

        // The credits went to someone else between the check and the hold. The hold dropped the company's view, so a
        // second check reads the balance the database refused on (and names the rule that now matches); should this
        // node still see enough (another node's hold it has not heard of), the answer is no all the same.
        var again = await checks.CheckAsync(scope, flagKey, costed, cancellationToken).ConfigureAwait(false);
        return CheckAndReserveResponse.From(again.Value ? again with { Value = false, Reason = InsufficientCredits } : again, null);
    }
}
