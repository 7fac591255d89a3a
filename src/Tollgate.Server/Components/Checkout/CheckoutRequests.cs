namespace Tollgate.Server.Components.Checkout;

/// <summary>
/// Body of <c>POST /checkout</c> and <c>POST /checkout/preview</c> (the components' <c>ChangeSubscriptionRequestBody</c>):
/// the plan and price bought, add-ons with their prices, pay-in-advance quantities, credit bundles, promo code and the
/// payment method charged. The company is the token's, never the body's.
/// </summary>
public sealed record ChangeSubscriptionRequestBody(
    IReadOnlyList<UpdateAddOnRequestBody?>? AddOnIds,
    IReadOnlyList<System.Text.Json.JsonElement>? AutoTopupOverrides,
    string? BillingEntityId,
    string? CouponExternalId,
    IReadOnlyList<UpdateCreditBundleRequestBody?>? CreditBundles,
    IReadOnlyList<CheckoutFieldValue?>? CustomFieldValues,
    string? NewPlanId,
    string? NewPriceId,
    bool? OptInAccepted,
    IReadOnlyList<UpdatePayInAdvanceRequestBody?>? PayInAdvance,
    string? PaymentMethodId,
    string? PromoCode,
    bool? SkipTrial);

/// <summary>An add-on bought, at one of its prices.</summary>
public sealed record UpdateAddOnRequestBody(string? AddOnId, string? PriceId);

/// <summary>A quantity bought in advance of a price (seats of the base plan or of an add-on).</summary>
public sealed record UpdatePayInAdvanceRequestBody(string? PriceId, long? Quantity);

/// <summary>Credit bundles bought.</summary>
public sealed record UpdateCreditBundleRequestBody(string? BundleId, long? Quantity);

/// <summary>A value of one of the plan group's custom checkout fields.</summary>
public sealed record CheckoutFieldValue(string? Id, string? Value);

/// <summary>Body of <c>POST /checkout/custom-field-values</c>.</summary>
public sealed record UpdateCheckoutFieldValuesRequestBody(IReadOnlyList<CheckoutFieldValue?>? Values);

/// <summary>Body of <c>POST /checkout/paymentmethod/update</c>: the payment method (saved through a setup intent) to charge from now on.</summary>
public sealed record UpdatePaymentMethodRequestBody(string? PaymentMethodId);
