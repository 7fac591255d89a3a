using Tollgate.Server.Billing;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>Connecting an environment to its Stripe account (secret keys only): connect, read, check, disconnect.</summary>
internal static class StripeConnectionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var stripe = api.MapGroup("/billing/stripe").WithTags("Stripe");
        stripe.MapPut("/connection", async (HttpContext http, ConnectStripeRequest body, StripeConnections connections, StripeImporter importer, CancellationToken ct) =>
        {
            var (response, firstConnect) = await connections.ConnectAsync(http.Scope(), body, ct).ConfigureAwait(false);
            if (body.Import ?? firstConnect)
            {
                await importer.StartAsync(response.EnvironmentId, ct).ConfigureAwait(false);
            }

            return TypedResults.Ok(Envelope.Of(response));
        }).WithSummary("Connect this environment to a Stripe account (the key is checked with Stripe first; secrets are stored encrypted and never returned)");
        stripe.MapGet("/connection", async (HttpContext http, StripeConnections connections, CancellationToken ct) =>
            await connections.DescribeAsync(http.Scope(), ct).ConfigureAwait(false) is { } response
                ? Results.Ok(Envelope.Of(response))
                : throw new RequestException(StatusCodes.Status404NotFound, "stripe connection not found"))
            .WithSummary("This environment's Stripe connection, its settings and what each part of the sync last did");
        stripe.MapPost("/connection/check", async (HttpContext http, StripeConnections connections, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await connections.CheckAsync(http.Scope(), ct).ConfigureAwait(false))))
            .WithSummary("Ask Stripe whether the stored key still works");
        stripe.MapDelete("/connection", async (HttpContext http, StripeConnections connections, CancellationToken ct) =>
            await connections.DisconnectAsync(http.Scope(), ct).ConfigureAwait(false)
                ? Results.Ok(Envelope.Of(new { deleted = true }))
                : throw new RequestException(StatusCodes.Status404NotFound, "stripe connection not found"))
            .WithSummary("Disconnect from Stripe (what was imported stays)");
    }
}
