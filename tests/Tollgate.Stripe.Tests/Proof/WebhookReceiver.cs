using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>A stand-in webhook endpoint: verifies with Stripe.net's EventUtility, answers 200 or 400, records what it accepted.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Event> _accepted = [];

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Answers 503 to this many valid deliveries before accepting (an endpoint having a bad moment).</summary>
    public int FailNext { get; set; }

    public IReadOnlyList<Event> Accepted
    {
        get { lock (_accepted) return [.. _accepted]; }
    }

    public static async Task<WebhookReceiver> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/webhook", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            try
            {
                var evt = EventUtility.ConstructEvent(body, ctx.Request.Headers["Stripe-Signature"].ToString(), secret);
                lock (receiver._accepted)
                    if (receiver.FailNext > 0)
                    {
                        receiver.FailNext--;
                        return Results.StatusCode(503);
                    }
                lock (receiver._accepted) receiver._accepted.Add(evt);
                return Results.Ok();
            }
            catch (StripeException e)
            {
                return Results.BadRequest(e.Message);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Endpoint = new Uri(address.TrimEnd('/') + "/webhook");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
