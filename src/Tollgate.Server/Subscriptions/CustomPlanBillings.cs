using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Plans billed by invoice (<see cref="CustomPlanBillingRecord"/>). Tollgate sends no invoice itself: marking a billing
/// paid is how payment is recorded, and with <c>on_payment</c> that is when the company gets its plans.
/// </summary>
internal sealed class CustomPlanBillings(ResourceStore store, AuditLog audit, RuntimeRegistry runtimes, IServiceProvider services, TimeProvider time)
{
    private static readonly (string, string)[] Strategies = [("on_payment", "on_payment"), ("on_publish", "on_publish")];

    public async Task<CustomPlanBillingRecord> CreateAsync(RequestScope scope, ManagePlanDecision decision, bool onPayment, ManagePlanRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var billing = new CustomPlanBillingRecord
        {
            Id = Ids.New("cpb"),
            CompanyId = decision.Company.Id,
            PlanId = decision.BasePlanId!,
            PlanVersionId = decision.VersionId,
            AddOnIds = decision.AddOnIds,
            PlanBillingSource = catalog.Plans.GetValueOrDefault(decision.BasePlanId!)?.CompanyId is null ? "manage_plan" : "custom_plan",
            ActivationStrategy = onPayment ? "on_payment" : "on_publish",
            Status = onPayment ? "pending" : "active",
            DaysUntilDue = DaysUntilDue(request.DaysUntilDue, "days_until_due") ?? 30,
            SendInvoice = true,
            BillingCycleAnchor = request.BillingCycleAnchor,
            ProrateFirstPeriod = request.ProrateFirstPeriod,
            PublishedAt = onPayment ? null : now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await SaveAsync(scope, null, billing, cancellationToken).ConfigureAwait(false);
        return billing;
    }

    /// <summary>Records payment; an <c>on_payment</c> billing gives the company its plans now.</summary>
    public async Task<CustomPlanBillingRecord> MarkPaidAsync(RequestScope scope, string id, CancellationToken cancellationToken)
    {
        var before = await GetAsync(scope, id, cancellationToken).ConfigureAwait(false);
        if (before.Status is "paid" or "expired")
        {
            Errors.Conflict("custom_plan_billing_id", $"the billing is already {before.Status}");
        }

        var now = time.GetUtcNow();
        if (before.ActivationStrategy == "on_payment" && before.PublishedAt is null)
        {
            await services.GetRequiredService<ManagePlanService>()
                .ApplyAsync(scope, "api_key", before.CompanyId, before.PlanId, before.PlanVersionId, before.AddOnIds, false, cancellationToken).ConfigureAwait(false);
        }

        var after = before with { Status = "paid", PaidAt = now, PublishedAt = before.PublishedAt ?? now, UpdatedAt = now };
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    /// <summary>Issues a pending billing again with new terms (Tollgate has no invoice to re-create: the terms are what change).</summary>
    public async Task<CustomPlanBillingRecord> RetryAsync(RequestScope scope, string id, RetryCustomPlanBillingRequest request, CancellationToken cancellationToken)
    {
        var email = Validate.Required(request.CustomerEmail, "customer_email");
        var before = await GetAsync(scope, id, cancellationToken).ConfigureAwait(false);
        if (before.Status != "pending")
        {
            Errors.Conflict("custom_plan_billing_id", $"only a pending billing can be retried; this one is {before.Status}");
        }

        var after = before with
        {
            CustomerEmail = Validate.Bounded(email, "customer_email"),
            ActivationStrategy = request.ActivationStrategy is null ? before.ActivationStrategy : Validate.OneOf(request.ActivationStrategy, "activation_strategy", Strategies),
            DaysUntilDue = DaysUntilDue(request.DaysUntilDue, "days_until_due") ?? before.DaysUntilDue,
            SendInvoice = request.SendInvoice ?? before.SendInvoice,
            BillingCycleAnchor = request.BillingCycleAnchor ?? before.BillingCycleAnchor,
            ProrateFirstPeriod = request.ProrateFirstPeriod ?? before.ProrateFirstPeriod,
            UpdatedAt = time.GetUtcNow(),
        };
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    private async Task<CustomPlanBillingRecord> GetAsync(RequestScope scope, string id, CancellationToken cancellationToken) =>
        await store.GetAsync<CustomPlanBillingRecord>(scope.EnvironmentId, SubscriptionKinds.CustomPlanBilling, id, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "custom plan billing not found");

    private static long? DaysUntilDue(long? days, string field)
    {
        if (days is < 0 or > 3650)
        {
            Errors.BadRequest(field, "must be between 0 and 3650");
        }

        return days;
    }

    private Task<bool> SaveAsync(RequestScope scope, CustomPlanBillingRecord? before, CustomPlanBillingRecord after, CancellationToken cancellationToken) =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, SubscriptionKinds.CustomPlanBilling, after.Id, null, after.CompanyId, before, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", SubscriptionKinds.CustomPlanBilling, after.Id, after.CompanyId, before, after)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
