using System.Text.Json.Nodes;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>The fake reads Stripe's bracket notation into nested objects and arrays.</summary>
public sealed class StripeParamsTests
{
    [Fact]
    public void BracketsBecomeNestedObjectsAndIndexedArrays()
    {
        var parsed = StripeParams.ParseEncoded(
            "items[0][id]=si_1&items[0][price]=price_team&items[0][quantity]=10&items[1][price]=price_sso&metadata[tenant_id]=t%201&proration_behavior=always_invoice");

        Assert.Equal("si_1", (string?)parsed["items"]![0]!["id"]);
        Assert.Equal("10", (string?)parsed["items"]![0]!["quantity"]);
        Assert.Equal("price_sso", (string?)parsed["items"]![1]!["price"]);
        Assert.Equal("t 1", (string?)parsed["metadata"]!["tenant_id"]);
        Assert.Equal("always_invoice", (string?)parsed["proration_behavior"]);
    }

    [Fact]
    public void ExpandListsAndEmptyBracketsAppend()
    {
        var parsed = StripeParams.ParseEncoded("expand[0]=data.customer&expand[1]=data.items.data.price.product&types[]=a&types[]=b&payload[value]=");

        Assert.Equal(["data.customer", "data.items.data.price.product"], parsed["expand"]!.AsArray().Select(x => (string?)x));
        Assert.Equal(["a", "b"], parsed["types"]!.AsArray().Select(x => (string?)x));
        Assert.Equal("", (string?)parsed["payload"]!["value"]);
        Assert.IsType<JsonObject>(parsed["payload"]);
    }
}
