using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe.Api;

/// <summary><c>GET /v1/account</c>: the account the secret key belongs to (what a connection check reads).</summary>
internal static class AccountEndpoints
{
    /// <summary>The fake account's id.</summary>
    public const string AccountId = "acct_fake";

    public static void Map(StripeRoutes r) =>
        r.Get("/v1/account", c => new JsonObject
        {
            ["id"] = AccountId,
            ["object"] = "account",
            ["business_profile"] = new JsonObject { ["name"] = "Fake Stripe account" },
            ["charges_enabled"] = true,
            ["country"] = "US",
            ["created"] = c.Now,
            ["default_currency"] = "usd",
            ["details_submitted"] = true,
            ["email"] = "owner@example.com",
            ["payouts_enabled"] = true,
            ["type"] = "standard",
        });
}
