namespace Tollgate.FakeStripe.Api;

/// <summary><c>/v1/invoices</c> (read-only: invoices come from subscription activity and the simulator).</summary>
internal static class InvoiceEndpoints
{
    public static void Map(StripeRoutes r)
    {
        r.Get("/v1/invoices/{id}", c => StripeJson.Render(c.Store.Get("invoice", c.Route("id")), c));
        r.Get("/v1/invoices", c => StripeJson.List(c, c.Store.All("invoice").Where(i =>
            (c.Str("customer") is not { } customer || (string?)i["customer"] == customer)
            && (c.Str("status") is not { } status || (string?)i["status"] == status)
            && (c.Str("subscription") is not { } sub || (string?)i["parent"]?["subscription_details"]?["subscription"] == sub)), "/v1/invoices"));
    }
}
