using System.Globalization;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Stripe;

namespace Tollgate.Server.Lifecycle;

/// <summary>
/// Trials Tollgate runs (companies without a live Stripe subscription; a Stripe subscription's trial is Stripe's):
/// start, convert, move the end, and expire. Every change is a company write through <see cref="CompanyService"/>, so
/// the trial schedule and the lifecycle events commit with it (<see cref="LifecycleRecorder"/>); starting, converting and
/// moving the end wake the expiry worker.
/// </summary>
internal sealed class TrialService(
    CompanyService companies, Storage.Database database, RuntimeRegistry runtimes, Billing.Outbound.StripeTrialEnds stripeTrials, TrialWakeSignal wake, TimeProvider time)
{
    public async Task<CompanyRecord> StartAsync(RequestScope scope, string companyId, StartTrialRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            Errors.BadRequest("body", "is required");
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var group = catalog.PlanGroup;
        var planId = Validate.Required(request.PlanId, "plan_id");
        if (!(catalog.Plans.TryGetValue(planId, out var plan) && plan.PlanType == PlanType.Plan))
        {
            Errors.BadRequest("plan_id", "must name an existing plan (not an add-on)");
        }

        if (group is { OrderedPlans.Count: > 0 } && !group.Offers(planId) || planId == group?.TrialExpiryPlanId)
        {
            Errors.BadRequest("plan_id", "is not trialable: the plan group does not offer it, or it is the trial expiry plan");
        }

        if (group?.TrialPaymentMethodRequired == true && string.IsNullOrWhiteSpace(request.PaymentMethodExternalId))
        {
            Errors.BadRequest("payment_method_external_id", "is required: the plan group requires a payment method to start a trial");
        }

        var now = time.GetUtcNow();
        var endsAt = TrialEnd(request, group, now);
        var written = await companies.WriteSyncedAsync(
            scope,
            companyId,
            (_, before, _) =>
            {
                if (before is null)
                {
                    Errors.NotFound("company");
                }

                if (before.Billing is { SubscriptionId: not null } billing && billing.Status is not (StripeSubscriptionStatuses.Canceled or StripeSubscriptionStatuses.IncompleteExpired))
                {
                    Errors.Conflict("company", "is billed through a Stripe subscription; its trial runs on that subscription");
                }

                if (before.Trial is { Status: TrialStatuses.Active })
                {
                    Errors.Conflict("company", "already has an active trial");
                }

                if (before.Trial is { } earlier && (group?.TrialEligibilityPerPlan != true || earlier.PlanId == planId))
                {
                    Errors.Conflict("company", group?.TrialEligibilityPerPlan == true ? "already had a trial of this plan" : "already had a trial");
                }

                var trial = new CompanyTrial
                {
                    SubscriptionId = Storage.Ids.New("bilsub"),
                    PlanId = planId,
                    PreviousPlanId = before.BasePlanId,
                    ExpiryPlanId = group?.TrialExpiryPlanId ?? group?.FallbackPlanId,
                    StartedAt = now,
                    EndsAt = endsAt,
                    Status = TrialStatuses.Active,
                    PaymentMethodExternalId = Validate.Bounded(request.PaymentMethodExternalId, "payment_method_external_id"),
                };
                var after = before with { BasePlanId = planId, Trial = trial };
                return CompanyPlanVersions.Assign(catalog, before, after, now);
            },
            cancellationToken).ConfigureAwait(false);
        wake.Raise();
        return written ?? throw new InvalidOperationException("A started trial changes the company.");
    }

    /// <summary>Converts the company's active trial to paid: the trial ends as <c>converted</c> and the company keeps the plan.</summary>
    public async Task<CompanyRecord> ConvertAsync(RequestScope scope, string companyId, CancellationToken cancellationToken)
    {
        var written = await companies.WriteSyncedAsync(
            scope,
            companyId,
            (_, before, now) =>
            {
                if (before is null)
                {
                    Errors.NotFound("company");
                }

                if (before.Trial is not { Status: TrialStatuses.Active } trial)
                {
                    Errors.Conflict("company", "has no active trial");
                    return null;
                }

                return before with { Trial = trial with { Status = TrialStatuses.Converted, EndedAt = now } };
            },
            cancellationToken).ConfigureAwait(false);
        wake.Raise();
        return written ?? throw new InvalidOperationException("A converted trial changes the company.");
    }

    /// <summary>Moves the end of the active trial with this subscription id (Tollgate's, or a trialing Stripe subscription's).</summary>
    public async Task<CompanyRecord> EditEndAsync(RequestScope scope, string subscriptionId, UpdateTrialEndRequest? request, CancellationToken cancellationToken)
    {
        var text = Validate.Required(request?.TrialEnd, "trial_end");
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var endsAt))
        {
            Errors.BadRequest("trial_end", "must be an ISO 8601 date-time");
        }

        if (endsAt <= time.GetUtcNow())
        {
            Errors.BadRequest("trial_end", "must be in the future");
        }

        var companyId = await TrialSchedule.CompanyOfSubscriptionAsync(database, scope.EnvironmentId, subscriptionId, cancellationToken).ConfigureAwait(false);
        if (companyId is null)
        {
            // A trial Stripe runs: Stripe moves it, and the company follows Stripe's answer.
            var billed = await stripeTrials.CompanyOfAsync(scope, subscriptionId, cancellationToken).ConfigureAwait(false);
            if (billed is null)
            {
                Errors.NotFound("subscription");
            }

            var company = await companies.GetAsync(scope, billed, cancellationToken).ConfigureAwait(false);
            if (company.Billing?.Status != StripeSubscriptionStatuses.Trialing)
            {
                Errors.Conflict("subscription", $"is {company.Billing?.Status}; only a trialing subscription's trial end can move");
            }

            await stripeTrials.MoveAsync(scope, subscriptionId, endsAt, cancellationToken).ConfigureAwait(false);
            return await companies.GetAsync(scope, billed, cancellationToken).ConfigureAwait(false);
        }

        var written = await companies.WriteSyncedAsync(
            scope,
            companyId,
            (_, before, _) =>
            {
                if (before?.Trial is not { } trial || trial.SubscriptionId != subscriptionId)
                {
                    Errors.NotFound("subscription");
                    return null;
                }

                if (trial.Status != TrialStatuses.Active)
                {
                    Errors.Conflict("subscription", $"its trial is {trial.Status}; only an active trial's end can move");
                }

                return before with { Trial = trial with { EndsAt = endsAt.ToUniversalTime() } };
            },
            cancellationToken).ConfigureAwait(false);
        wake.Raise();
        return written ?? (await companies.GetAsync(scope, companyId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Expires the company's trial if it is active and has ended by now: the company moves to the expiry plan (when it is
    /// still on the trial plan and the expiry plan still exists) and the trial ends as <c>expired</c>. Answers whether
    /// anything changed.
    /// </summary>
    public async Task<bool> ExpireAsync(string environmentId, string companyId, CancellationToken cancellationToken)
    {
        var written = await companies.WriteSyncedAsync(
            TrialActor.Scope(environmentId),
            companyId,
            (catalog, before, now) =>
            {
                if (before?.Trial is not { Status: TrialStatuses.Active } trial || trial.EndsAt > now)
                {
                    return null;
                }

                var expired = before with { Trial = trial with { Status = TrialStatuses.Expired, EndedAt = trial.EndsAt } };
                if (before.BasePlanId != trial.PlanId)
                {
                    // Someone moved the company off the trial plan meanwhile: that choice stands.
                    return expired;
                }

                var expiryPlan = trial.ExpiryPlanId is { } id && catalog.Plans.TryGetValue(id, out var plan) && plan.PlanType == PlanType.Plan ? id : null;
                return CompanyPlanVersions.Assign(catalog, before, expired with { BasePlanId = expiryPlan }, now);
            },
            cancellationToken).ConfigureAwait(false);
        return written is not null;
    }

    private static DateTimeOffset TrialEnd(StartTrialRequest request, PlanGroupRecord? group, DateTimeOffset now)
    {
        if (request.TrialEnd is { } end)
        {
            if (request.TrialDays is not null)
            {
                Errors.BadRequest("trial_days", "give trial_end or trial_days, not both");
            }

            if (end <= now)
            {
                Errors.BadRequest("trial_end", "must be in the future");
            }

            return end.ToUniversalTime();
        }

        var days = request.TrialDays ?? group?.TrialDays;
        if (days is null or 0)
        {
            Errors.BadRequest("trial_days", "is required when the plan group sets no trial_days (or give trial_end)");
        }

        if (days is < 1 or > PlanGroupValidation.MaxTrialDays)
        {
            Errors.BadRequest("trial_days", $"must be between 1 and {PlanGroupValidation.MaxTrialDays}");
        }

        return now.AddDays(days.Value);
    }
}
