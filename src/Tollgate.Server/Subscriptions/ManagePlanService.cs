using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Schematic's manage-plan for companies Tollgate bills itself (no Stripe subscription): change the base plan and
/// add-ons now, or, for a downgrade while a billing period runs, at its end (a scheduled downgrade, applied by
/// <see cref="ScheduledChangeRunner"/>); or assign them against an invoice (<see cref="CustomPlanBillingRecord"/>).
/// A company billed through a Stripe subscription is refused with 409: its plans follow the subscription, so they are
/// changed in Stripe (checkout, customer portal), and the sync brings the change back.
/// </summary>
internal sealed class ManagePlanService(
    CompanyService companies, RuntimeRegistry runtimes, PlanPrices prices, ScheduledChanges scheduled, CustomPlanBillings billings, TimeProvider time)
{
    public async Task<ManagePlanDecision> DecideAsync(RequestScope scope, ManagePlanRequest request, CancellationToken cancellationToken)
    {
        var companyId = Validate.Required(request.CompanyId, "company_id");
        var company = await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var basePlanId = request.BasePlanId ?? company.BasePlanId;
        if (request.BasePlanId is { } requested && !(catalog.Plans.TryGetValue(requested, out var plan) && plan.PlanType == PlanType.Plan))
        {
            Errors.BadRequest("base_plan_id", "must name an existing plan (not an add-on)");
        }

        CustomPlans.EnsureAssignable(catalog, company.Id, request.BasePlanId);
        if (request.BasePlanVersionId is { } versionId
            && !(catalog.VersionsById.TryGetValue(versionId, out var version) && version.PlanId == basePlanId && version.Status != PlanVersionStatus.Draft))
        {
            Errors.BadRequest("base_plan_version_id", "must name a published or archived version of the base plan");
        }

        var addOns = new List<string>();
        foreach (var (selection, i) in (request.AddOnSelections ?? []).Select((s, i) => (s, i)))
        {
            var addOn = selection?.PlanId;
            if (addOn is null || !(catalog.Plans.TryGetValue(addOn, out var addOnPlan) && addOnPlan.PlanType == PlanType.AddOn))
            {
                Errors.BadRequest($"add_on_selections[{i}].plan_id", "must name an existing add-on");
            }

            if (!addOns.Contains(addOn))
            {
                addOns.Add(addOn);
            }
        }

        var from = await prices.OfAsync(scope.EnvironmentId, company.BasePlanId, cancellationToken).ConfigureAwait(false);
        var to = await prices.OfAsync(scope.EnvironmentId, basePlanId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var downgrade = company.BasePlanId is not null && basePlanId is not null && basePlanId != company.BasePlanId
            && PlanPrices.IsDowngrade(from?.MonthlyEquivalent, to?.MonthlyEquivalent);
        DateTimeOffset? at = downgrade && company.Subscription is { } period && period.PeriodEnd > now
            && await DowngradeTiming.AtPeriodEndAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false)
            ? period.PeriodEnd
            : null;
        return new ManagePlanDecision(
            company, basePlanId, request.BasePlanVersionId, addOns, downgrade, at, from?.MonthlyEquivalent ?? 0, to?.MonthlyEquivalent, to?.Currency ?? from?.Currency ?? "usd");
    }

    /// <summary>Makes the change <see cref="DecideAsync"/> describes; answers the company as it is afterwards.</summary>
    public async Task<CompanyRecord> ManageAsync(RequestScope scope, ManagePlanRequest request, CancellationToken cancellationToken)
    {
        var decision = await DecideAsync(scope, request, cancellationToken).ConfigureAwait(false);
        if (request.SendInvoice == true)
        {
            if (decision.BasePlanId is null)
            {
                Errors.BadRequest("base_plan_id", "is required to bill a plan by invoice");
            }

            var onPayment = request.ActivateOnPayment == true;
            await billings.CreateAsync(scope, decision, onPayment, request, cancellationToken).ConfigureAwait(false);
            return onPayment
                ? await CompanyAsync(scope, decision.Company.Id, cancellationToken).ConfigureAwait(false)
                : await ApplyAsync(scope, "api_key", decision.Company.Id, decision.BasePlanId, decision.VersionId, decision.AddOnIds, decision.Downgrade, cancellationToken).ConfigureAwait(false);
        }

        if (decision.ScheduleAt is { } at)
        {
            var downgrade = new ScheduledDowngrade(
                Ids.New("sdg"), decision.Company.BasePlanId, decision.BasePlanId, decision.VersionId, decision.AddOnIds, at, decision.Currency, "month",
                decision.FromPrice, decision.ToPrice, "manage_plan");
            return await scheduled.ScheduleAsync(scope, decision.Company.Id, downgrade, cancellationToken).ConfigureAwait(false);
        }

        return await ApplyAsync(scope, "api_key", decision.Company.Id, decision.BasePlanId, decision.VersionId, decision.AddOnIds, decision.Downgrade, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a company's plans: at once with <c>cancel_immediately</c> or when it has no running period, else at the end
    /// of its period (a scheduled change to no plan).
    /// </summary>
    public async Task<CompanyRecord> CancelAsync(RequestScope scope, CancelSubscriptionRequest request, CancellationToken cancellationToken)
    {
        var companyId = Validate.Required(request.CompanyId, "company_id");
        var company = await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (request.CancelImmediately != true && company.Subscription is { } period && period.PeriodEnd > now)
        {
            var from = await prices.OfAsync(scope.EnvironmentId, company.BasePlanId, cancellationToken).ConfigureAwait(false);
            var cancellation = new ScheduledDowngrade(
                Ids.New("sdg"), company.BasePlanId, null, null, [], period.PeriodEnd, from?.Currency ?? "usd", "month", from?.MonthlyEquivalent ?? 0, null, "manage_plan");
            return await scheduled.ScheduleAsync(scope, company.Id, cancellation, cancellationToken).ConfigureAwait(false);
        }

        return await ApplyAsync(scope, "api_key", company.Id, null, null, [], true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives the company these plans now (clearing any scheduled change) through the company write path, and logs the
    /// change in the same transaction. Used by requests, by <see cref="CustomPlanBillings"/> and by the scheduled-change
    /// loop.
    /// </summary>
    public async Task<CompanyRecord> ApplyAsync(
        RequestScope scope, string actorType, string companyId, string? basePlanId, string? versionId, IReadOnlyList<string> addOnIds, bool downgrade, CancellationToken cancellationToken,
        Func<CompanyRecord, bool>? onlyIf = null)
    {
        var written = await companies.WriteSyncedAsync(
            scope,
            companyId,
            (catalog, before, now) =>
            {
                if (before is null || (onlyIf is not null && !onlyIf(before)))
                {
                    return null;
                }

                // A scheduled change outlives nothing it names: a plan deleted since is not given (the company keeps
                // its base plan; a deleted add-on is left out), and the schedule is cleared either way.
                if (basePlanId is not null && !catalog.Plans.ContainsKey(basePlanId))
                {
                    return before with { ScheduledDowngrade = null, UpdatedAt = now };
                }

                var kept = addOnIds.Where(catalog.Plans.ContainsKey).ToList();
                var after = CompanyPlanVersions.Assign(catalog, before, before with { BasePlanId = basePlanId, AddOnIds = kept, ScheduledDowngrade = null, UpdatedAt = now }, now);
                return basePlanId is not null && versionId is not null
                    ? after with { PlanVersions = new Dictionary<string, string>(after.PlanVersions, StringComparer.Ordinal) { [basePlanId] = versionId } }
                    : after;
            },
            cancellationToken,
            new PlanChangeCause("manage_plan", actorType, downgrade, Logged: true));
        return written ?? await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CompanyRecord> CompanyAsync(RequestScope scope, string companyId, CancellationToken cancellationToken)
    {
        var company = await companies.GetAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        if (company.Billing?.SubscriptionId is { } subscription)
        {
            Errors.Conflict(
                "company_id",
                $"the company is billed through Stripe subscription {subscription}; its plans follow that subscription, so change them in Stripe (checkout or the customer portal)");
        }

        return company;
    }
}

/// <summary>What a manage-plan request would do.</summary>
internal sealed record ManagePlanDecision(
    CompanyRecord Company,
    string? BasePlanId,
    string? VersionId,
    IReadOnlyList<string> AddOnIds,
    bool Downgrade,
    DateTimeOffset? ScheduleAt,
    long FromPrice,
    long? ToPrice,
    string Currency);
