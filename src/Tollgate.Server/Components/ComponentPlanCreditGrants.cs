using Tollgate.Server.Credits;

namespace Tollgate.Server.Components;

/// <summary>
/// A plan's credit grant as the pricing table and the checkout dialog list it under the plan (Schematic's
/// <c>PlanCreditGrantView</c>, a plan's <c>included_credit_grants</c>): the credits area's plan grant with its credit
/// type's names, description and icon, and its auto top-up and postpaid settings under the <c>billing_credit_</c> names.
/// Tollgate prices no plan grant, so <c>price</c> stays null.
/// </summary>
internal sealed record ComponentPlanCreditGrantResponse(
    bool BillingCreditAutoTopupEnabled,
    bool BillingCreditAutoTopupSelfService,
    string BillingCreditAutoTopupAvailability,
    double? BillingCreditAutoTopupAmount,
    string? BillingCreditAutoTopupAmountType,
    double? BillingCreditAutoTopupThresholdCredits,
    double? BillingCreditAutoTopupThresholdPercent,
    string? BillingCreditAutoTopupExpiryType,
    string? BillingCreditAutoTopupExpiryUnit,
    int? BillingCreditAutoTopupExpiryUnitCount,
    bool BillingCreditCanBuyBundles,
    bool BillingCreditPostpaidEnabled,
    double? BillingCreditOverdraftLimit,
    string BillingMode,
    double CompanyCreditAmount,
    DateTimeOffset CreatedAt,
    double CreditAmount,
    string CreditDescription,
    string? CreditIcon,
    string CreditId,
    string CreditName,
    string Id,
    string PlanId,
    string? PlanVersionId,
    string? PluralName,
    object? Price,
    string ResetCadence,
    string ResetStart,
    string ResetType,
    double RolloverPercentage,
    string Scaling,
    string? SingularName,
    DateTimeOffset UpdatedAt)
{
    public static ComponentPlanCreditGrantResponse From(PlanCreditGrantRecord grant, CreditTypeRecord? credit)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return new(
            grant.AutoTopupEnabled, grant.AutoTopupSelfService, grant.AutoTopupAvailability, grant.AutoTopupAmount, grant.AutoTopupAmountType, grant.AutoTopupThresholdCredits,
            grant.AutoTopupThresholdPercent, grant.AutoTopupExpiryType, grant.AutoTopupExpiryUnit, grant.AutoTopupExpiryUnitCount, grant.CanBuyBundles, grant.PostpaidEnabled,
            grant.OverdraftLimit, grant.BillingMode, grant.CompanyCreditAmount, grant.CreatedAt, grant.CreditAmount, credit?.Description ?? string.Empty, credit?.Icon,
            grant.CreditId, credit?.Name ?? grant.CreditName, grant.Id, grant.PlanId, grant.PlanVersionId, credit?.PluralName, null, grant.ResetCadence, grant.ResetStart,
            grant.ResetType, grant.RolloverPercentage, grant.Scaling, credit?.SingularName, grant.UpdatedAt);
    }
}
