using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Meters;
using Tollgate.Server.Requests;
using Tollgate.Stripe;

namespace Tollgate.Server.Api;

/// <summary>Billing meters (which Stripe meter bills which event subtype) and the meter sync (secret keys only).</summary>
internal static class BillingMeterEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var meters = api.MapGroup("/billing/meters").WithTags("Stripe");
        meters.MapGet("/", async (HttpContext http, BillingMeters service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.ListAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false))))
            .WithSummary("The Stripe meters event subtypes are billed through");
        meters.MapPost("/", async (HttpContext http, CreateBillingMeterRequest body, BillingMeters service, CancellationToken ct) =>
        {
            var (meter, created) = await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false);
            return created ? Results.Created($"/billing/meters/{meter.Id}", Envelope.Of(meter)) : Results.Ok(Envelope.Of(meter));
        }).WithSummary("Create a Stripe meter (sum, by stripe_customer_id) for an event subtype; an active meter of that event name in Stripe is adopted (200)");
        meters.MapDelete("/{meterId}", async (HttpContext http, string meterId, BillingMeters service, CancellationToken ct) =>
        {
            await service.DeactivateAsync(http.Scope(), meterId, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(new DeleteResult(true)));
        }).WithSummary("Deactivate a meter in Stripe and stop billing its subtype");
        meters.MapPost("/refresh", async (HttpContext http, BillingMeters service, StripeConnections connections, CancellationToken ct) =>
        {
            var connection = await connections.RequireAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false);
            try
            {
                return TypedResults.Ok(Envelope.Of(await service.RefreshAsync(connection, http.Scope(), ct).ConfigureAwait(false)));
            }
            catch (StripeCallException e)
            {
                throw new RequestException(StatusCodes.Status502BadGateway, $"stripe: meters could not be read: {StripeConnections.Describe(e)}");
            }
        }).WithSummary("Read the account's active meters from Stripe: each bills the subtype equal to its event_name");
        meters.MapPost("/sync", async (HttpContext http, MeterSync sync, StripeConnections connections, CancellationToken ct) =>
        {
            await connections.RequireAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(await sync.DrainAsync(http.Scope().EnvironmentId, wait: true, ct).ConfigureAwait(false)));
        }).WithSummary("Send the usage waiting in the meter outbox to Stripe now (a backoff in progress is still honoured)");
        meters.MapPost("/requeue", async (HttpContext http, RequeueMeterRowsRequest body, MeterSync sync, StripeConnections connections, CancellationToken ct) =>
        {
            var status = Validate.OneOf(body.Status, "status", ("skipped", "skipped"), ("failed", "failed"));
            await connections.RequireAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false);
            return await sync.RequeueAsync(http.Scope().EnvironmentId, status, ct).ConfigureAwait(false) is { } requeued
                ? Results.Ok(Envelope.Of(new { requeued }))
                : throw new RequestException(StatusCodes.Status409Conflict, "meters: another node is sending this environment's usage now; retry");
        }).WithSummary("Send skipped or failed usage rows again (after adding a customer key or a meter); the next sync sends them");
    }
}
