namespace Tollgate.Server.Billing.Outbound;

/// <summary>Body of <c>POST /billing/stripe/plan-versions/{plan_version_id}/push</c>: the version's prices in Stripe.</summary>
public sealed record PushPlanVersionRequest(IReadOnlyList<PushPriceRequest?>? Prices, IReadOnlyList<PushMeteredPriceRequest?>? Metered);

/// <summary>A licensed price: the plan's charge per <see cref="Interval"/>, flat or per seat (quantity = seats).</summary>
public sealed record PushPriceRequest(string? Interval, long? UnitAmount, string? Currency, bool? PerSeat);

/// <summary>A metered price: usage of <see cref="EventSubtype"/> billed per unit through a billing meter.</summary>
public sealed record PushMeteredPriceRequest(string? EventSubtype, long? UnitAmount, string? MeterId, string? Currency, string? Interval);

/// <summary>Body of <c>POST /billing/stripe/checkout-sessions</c>.</summary>
public sealed record CheckoutSessionRequest(
    string? CompanyId, string? PlanId, string? PriceId, string? Interval, long? Seats, string? SuccessUrl, string? CancelUrl, long? TrialDays,
    bool? AllowPromotionCodes);

/// <summary>Body of <c>POST /billing/stripe/portal-sessions</c>.</summary>
public sealed record PortalSessionRequest(string? CompanyId, string? ReturnUrl, string? Flow);

/// <summary>Body of <c>POST /billing/stripe/subscription-changes</c>.</summary>
public sealed record SubscriptionChangeRequest(
    string? CompanyId, string? PlanId, string? PriceId, string? Interval, long? Seats, string? ProrationBehavior, bool? CancelAtPeriodEnd);
