using Tollgate.Server.Components;
using Tollgate.Server.Components.Checkout;

namespace Tollgate.Server.Api;

/// <summary>
/// The checkout routes Schematic's components call (<c>CheckoutexternalApi</c> of
/// <c>@schematichq/schematic-components</c>), with a temporary access token only: the company is always the token's.
/// </summary>
internal static class ComponentCheckoutEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // The components call these from the browser: the same CORS policy as hydrate (the checkout failed in Chromium without it).
        var checkout = api.MapGroup("/checkout").WithTags("Checkout").RequireCors(ComponentCors.PolicyName);
        checkout.MapPost("/preview", async (HttpContext http, ChangeSubscriptionRequestBody? body, ComponentCheckoutService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.PreviewAsync(http.Scope(), http.ComponentCompany().Id, body, ct).ConfigureAwait(false))))
            .WithSummary("What changing the plan would cost now and per period, from Stripe's invoice preview (prorations are Stripe's)")
            .RequireComponentAccess();
        checkout.MapPost("/", async (HttpContext http, ChangeSubscriptionRequestBody? body, ComponentCheckoutService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.CheckoutAsync(http.Scope(), http.ComponentCompany().Id, body, ct).ConfigureAwait(false))))
            .WithSummary("Change the token's company's plan in Stripe (its live subscription, or a new one on its saved card)")
            .RequireComponentAccess();
        checkout.MapDelete("/unsubscribe", async (HttpContext http, ComponentPaymentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UnsubscribeAsync(http.Scope(), http.ComponentCompany().Id, ct).ConfigureAwait(false))))
            .WithSummary("End the company's subscription at the end of its billing period")
            .RequireComponentAccess();
        checkout.MapGet("/balance", async (HttpContext http, ComponentPaymentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.BalanceAsync(http.Scope(), http.ComponentCompany().Id, ct).ConfigureAwait(false))))
            .WithSummary("The company's Stripe customer balance (negative: credit)")
            .RequireComponentAccess();
        checkout.MapPost("/paymentmethod/update", async (HttpContext http, UpdatePaymentMethodRequestBody? body, ComponentPaymentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdatePaymentMethodAsync(http.Scope(), http.ComponentCompany().Id, body, ct).ConfigureAwait(false))))
            .WithSummary("Charge this saved payment method from now on (the customer's and the subscription's default)")
            .RequireComponentAccess();
        checkout.MapDelete("/paymentmethod/{checkoutId}", async (HttpContext http, string checkoutId, ComponentPaymentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.DeletePaymentMethodAsync(http.Scope(), http.ComponentCompany().Id, checkoutId, ct).ConfigureAwait(false))))
            .WithSummary("Remove one of the company's saved payment methods (by its Stripe id)")
            .RequireComponentAccess();
        checkout.MapPost("/custom-field-values", async (HttpContext http, UpdateCheckoutFieldValuesRequestBody? body, ComponentPaymentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateFieldValuesAsync(http.Scope(), http.ComponentCompany().Id, body, ct).ConfigureAwait(false))))
            .WithSummary("Save the plan group's custom checkout field values on the company's Stripe customer (its metadata keys)")
            .RequireComponentAccess();

        var components = api.MapGroup("/components").WithTags("Components").RequireCors(ComponentCors.PolicyName);
        components.MapPost("/setup-intent", async (HttpContext http, ComponentPaymentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.CreateSetupIntentAsync(http.Scope(), http.ComponentCompany().Id, ct).ConfigureAwait(false))))
            .WithSummary("A Stripe setup intent for the card form (Stripe.js confirms it in the browser)")
            .RequireComponentAccess();
        components.MapGet("/{componentId}/setup-intent", async (HttpContext http, string componentId, ComponentPaymentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.CreateSetupIntentAsync(http.Scope(), http.ComponentCompany().Id, ct).ConfigureAwait(false))))
            .WithSummary("A Stripe setup intent for a component's card form")
            .RequireComponentAccess();
    }
}
