using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Subscriptions;

/// <summary>Body of <c>PUT /plans/{id}/billing_products</c> (Schematic's <c>UpsertBillingProductRequestBody</c>, the fields Tollgate keeps).</summary>
public sealed record PlanBillingRequest(
    string? BillingProductId,
    string? BillingStrategy,
    string? ChargeType,
    string? Currency,
    bool? IsTrialable,
    long? TrialDays,
    long? MonthlyPrice,
    string? MonthlyPriceId,
    long? YearlyPrice,
    string? YearlyPriceId,
    long? OneTimePrice,
    string? OneTimePriceId);

/// <summary>Sets a plan's prices (<see cref="PlanBillingRecord"/>).</summary>
internal sealed class PlanBillingService(ResourceStore store, AuditLog audit, RuntimeRegistry runtimes, TimeProvider time)
{
    private static readonly (string, string)[] ChargeTypes = [("free", "free"), ("none", "none"), ("one_time", "one_time"), ("recurring", "recurring")];
    private static readonly (string, string)[] Strategies = [("schematic_managed", "schematic_managed"), ("provider_managed", "provider_managed"), ("no_billing", "no_billing")];

    public async Task<PlanBillingRecord> UpsertAsync(RequestScope scope, string planId, PlanBillingRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Plans.ContainsKey(planId))
        {
            Errors.NotFound("plan");
        }

        foreach (var (price, field) in new[] { (request.MonthlyPrice, "monthly_price"), (request.YearlyPrice, "yearly_price"), (request.OneTimePrice, "one_time_price") })
        {
            if (price is < 0)
            {
                Errors.BadRequest(field, "must not be negative");
            }
        }

        if (request.TrialDays is < 0 or > 3650)
        {
            Errors.BadRequest("trial_days", "must be between 0 and 3650");
        }

        var currency = (request.Currency ?? "usd").Trim().ToLowerInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterLower))
        {
            Errors.BadRequest("currency", "must be a three-letter ISO currency code");
        }

        var before = await store.GetByKeyAsync<PlanBillingRecord>(scope.EnvironmentId, SubscriptionKinds.PlanBilling, planId, cancellationToken).ConfigureAwait(false);
        var id = "pbil_" + planId;
        var after = new PlanBillingRecord
        {
            Id = id,
            PlanId = planId,
            BillingProductId = Validate.Bounded(request.BillingProductId, "billing_product_id") ?? before?.BillingProductId ?? id,
            BillingStrategy = request.BillingStrategy is null ? before?.BillingStrategy ?? "schematic_managed" : Validate.OneOf(request.BillingStrategy, "billing_strategy", Strategies),
            ChargeType = Validate.OneOf(request.ChargeType, "charge_type", ChargeTypes),
            Currency = currency,
            IsTrialable = request.IsTrialable ?? false,
            TrialDays = request.TrialDays,
            MonthlyPrice = request.MonthlyPrice,
            MonthlyPriceId = Validate.Bounded(request.MonthlyPriceId, "monthly_price_id"),
            YearlyPrice = request.YearlyPrice,
            YearlyPriceId = Validate.Bounded(request.YearlyPriceId, "yearly_price_id"),
            OneTimePrice = request.OneTimePrice,
            OneTimePriceId = Validate.Bounded(request.OneTimePriceId, "one_time_price_id"),
            UpdatedAt = time.GetUtcNow(),
        };
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, SubscriptionKinds.PlanBilling, id, planId, planId, before, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", SubscriptionKinds.PlanBilling, id, null, before, after).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return after;
    }
}
