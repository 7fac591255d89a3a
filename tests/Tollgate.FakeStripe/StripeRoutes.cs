using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Tollgate.FakeStripe;

/// <summary>Maps Stripe routes to handlers that run under the store's lock and answer 200 JSON or an error envelope.</summary>
internal sealed class StripeRoutes(WebApplication app, FakeStripeServer server)
{
    public void Get(string pattern, Func<StripeCall, JsonNode> handler) => app.MapGet(pattern, (HttpContext ctx) => Run(ctx, handler));

    public void Post(string pattern, Func<StripeCall, JsonNode> handler) => app.MapPost(pattern, (HttpContext ctx) => Run(ctx, handler));

    public void Delete(string pattern, Func<StripeCall, JsonNode> handler) => app.MapDelete(pattern, (HttpContext ctx) => Run(ctx, handler));

    public static IResult Error(StripeApiException error) =>
        Results.Text(error.ToBody().ToJsonString(), "application/json", statusCode: (int)error.Status);

    private IResult Run(HttpContext ctx, Func<StripeCall, JsonNode> handler)
    {
        var call = new StripeCall(ctx, (JsonObject)ctx.Items[typeof(JsonObject)]!, server);
        try
        {
            JsonNode result;
            lock (call.Store.Gate)
            {
                call.Store.CurrentRequest = (ctx.Response.Headers["Request-Id"].ToString(), ctx.Request.Headers["Idempotency-Key"].ToString());
                try
                {
                    result = handler(call);
                }
                finally
                {
                    call.Store.CurrentRequest = null;
                }
            }
            return Results.Text(result.ToJsonString(), "application/json", statusCode: 200);
        }
        catch (StripeApiException e)
        {
            return Error(e);
        }
    }
}
