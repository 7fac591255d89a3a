using Tollgate.Server.Billing.Outbound;

namespace Tollgate.Server.Api;

/// <summary>Tollgate drives Stripe: pushes plan versions as products and prices, opens Checkout and Portal sessions, changes subscriptions.</summary>
internal static class StripeOutboundEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var stripe = api.MapGroup("/billing/stripe").WithTags("Stripe");
        stripe.MapPost("/plan-versions/{planVersionId}/push", async (HttpContext http, string planVersionId, PushPlanVersionRequest? body, StripeCatalogPush push, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await push.PushAsync(http.Scope(), planVersionId, body, ct).ConfigureAwait(false))))
            .WithSummary("Create (or reuse) the plan's Stripe product and the version's prices; pushing again creates nothing new");
        stripe.MapPost("/checkout-sessions", async (HttpContext http, CheckoutSessionRequest? body, StripeCheckoutService checkout, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await checkout.CreateCheckoutAsync(http.Scope(), body, ct).ConfigureAwait(false))))
            .WithSummary("A Stripe Checkout session for a company to subscribe to a plan (the company's Stripe customer is made and linked when it has none)");
        stripe.MapPost("/portal-sessions", async (HttpContext http, PortalSessionRequest? body, StripeCheckoutService checkout, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await checkout.CreatePortalAsync(http.Scope(), body, ct).ConfigureAwait(false))))
            .WithSummary("A Stripe Billing Portal session for a company, optionally starting in the update or cancel flow");
        stripe.MapPost("/subscription-changes", async (HttpContext http, SubscriptionChangeRequest? body, StripeSubscriptionChangeService changes, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await changes.ChangeAsync(http.Scope(), body, ct).ConfigureAwait(false))))
            .WithSummary("Change the company's Stripe subscription (plan, seats, cancel at period end) with a proration behaviour");
    }
}
