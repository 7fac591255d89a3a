using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Plan bundles: the plan written first, then its price, then each entitlement change in order, each through its own
/// service (so each is validated, audited and published as when made alone). A bundle is not one transaction: a change
/// refused half-way leaves the earlier ones made, and the error names the entitlement (<c>entitlements[i]</c>).
/// Credit grants are made through <c>/billing/credits/plan-grants</c>; a bundle carrying some is refused before anything is written.
/// </summary>
internal sealed class PlanBundleService(PlanService plans, CustomPlanService customPlans, PlanBillingService billing)
{
    private static readonly (string, string)[] Actions = [("create", "create"), ("update", "update"), ("delete", "delete")];

    public async Task<PlanBundleResult> CreateAsync(RequestScope scope, PlanBundleRequest request, bool custom, CancellationToken cancellationToken)
    {
        var planRequest = request.Plan ?? throw new RequestException(StatusCodes.Status400BadRequest, "plan: is required");
        Check(request, custom);
        var plan = custom
            ? await customPlans.CreateAsync(scope, new CustomPlanRequest(planRequest.CompanyId, null, null, planRequest.Name, planRequest.Description, planRequest.Icon), cancellationToken)
                .ConfigureAwait(false)
            : await plans.CreateAsync(scope, new PlanRequest(planRequest.Name, planRequest.Description, planRequest.PlanType, planRequest.Icon), cancellationToken).ConfigureAwait(false);
        return await ApplyAsync(scope, plan, request, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PlanBundleResult> UpdateAsync(RequestScope scope, string planId, PlanBundleRequest request, CancellationToken cancellationToken)
    {
        Check(request, false);
        var plan = await plans.GetAsync(scope, planId, cancellationToken).ConfigureAwait(false);
        if (request.Plan is { } changes)
        {
            plan = await plans.UpdateAsync(scope, planId, new PlanRequest(changes.Name, changes.Description, null, changes.Icon), cancellationToken).ConfigureAwait(false);
        }

        return await ApplyAsync(scope, plan, request, request.PlanVersionId, cancellationToken).ConfigureAwait(false);
    }

    private static void Check(PlanBundleRequest request, bool custom)
    {
        if (request.CreditGrants is { Count: > 0 })
        {
            Errors.Unprocessable("credit_grants", "plan credit grants are made through /billing/credits/plan-grants");
        }

        if (custom && request.BillingProduct is null)
        {
            Errors.BadRequest("billing_product", "is required for a custom plan bundle");
        }

        foreach (var (change, i) in (request.Entitlements ?? []).Select((c, i) => (c, i)))
        {
            var action = Validate.OneOf(change?.Action, $"entitlements[{i}].action", Actions);
            if (action != "create" && change!.EntitlementId is null)
            {
                Errors.BadRequest($"entitlements[{i}].entitlement_id", $"is required to {action} an entitlement");
            }

            if (action != "delete" && change!.Req is null)
            {
                Errors.BadRequest($"entitlements[{i}].req", $"is required to {action} an entitlement");
            }
        }
    }

    private async Task<PlanBundleResult> ApplyAsync(RequestScope scope, PlanRecord plan, PlanBundleRequest request, string? versionId, CancellationToken cancellationToken)
    {
        var priced = request.BillingProduct is { } product ? await billing.UpsertAsync(scope, plan.Id, product, cancellationToken).ConfigureAwait(false) : null;
        foreach (var (change, i) in (request.Entitlements ?? []).Select((c, i) => (c!, i)))
        {
            try
            {
                switch (change.Action)
                {
                    case "create":
                        await plans.CreateEntitlementAsync(scope, change.Req! with { PlanId = plan.Id, PlanVersionId = versionId ?? change.Req!.PlanVersionId }, cancellationToken).ConfigureAwait(false);
                        break;
                    case "update":
                        await OwnedAsync(scope, plan.Id, change.EntitlementId!, i, cancellationToken).ConfigureAwait(false);
                        await plans.UpdateEntitlementAsync(scope, change.EntitlementId!, change.Req!, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        await OwnedAsync(scope, plan.Id, change.EntitlementId!, i, cancellationToken).ConfigureAwait(false);
                        await plans.DeleteEntitlementAsync(scope, change.EntitlementId!, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
            catch (RequestException problem)
            {
                throw new RequestException(problem.StatusCode, $"entitlements[{i}]: {problem.Message}");
            }
        }

        return new PlanBundleResult(plan, priced, versionId);
    }

    private async Task OwnedAsync(RequestScope scope, string planId, string entitlementId, int index, CancellationToken cancellationToken)
    {
        if ((await plans.GetEntitlementAsync(scope, entitlementId, cancellationToken).ConfigureAwait(false)).PlanId != planId)
        {
            Errors.BadRequest($"entitlements[{index}].entitlement_id", "must name an entitlement of this plan");
        }
    }
}

/// <summary>What a bundle wrote: the plan, its price (when sent) and the version its entitlements went to (null: the published one).</summary>
internal sealed record PlanBundleResult(PlanRecord Plan, PlanBillingRecord? Billing, string? VersionId);
