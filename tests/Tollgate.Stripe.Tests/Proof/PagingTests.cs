using Stripe;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>List pages: limit, starting_after/ending_before cursors, has_more, url; Stripe.net's auto-paging follows them.</summary>
public sealed class PagingTests
{
    [Fact]
    public async Task AutoPagingWalksEveryPageWithStartingAfter()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var created = new List<string>();
        for (var i = 0; i < 25; i++)
            created.Add((await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = $"c{i}@acme.test" })).Id);

        var seen = new List<string>();
        await foreach (var customer in client.V1.Customers.ListAutoPagingAsync(new CustomerListOptions { Limit = 10 }))
            seen.Add(customer.Id);

        created.Reverse();
        Assert.Equal(created, seen);
        var pages = fake.RequestsTo("/v1/customers", "GET");
        Assert.Equal(3, pages.Count);
        Assert.Null(pages[0].Params["starting_after"]);
        Assert.Equal(seen[9], (string?)pages[1].Params["starting_after"]);
        Assert.Equal(seen[19], (string?)pages[2].Params["starting_after"]);
    }

    [Fact]
    public async Task APageReportsHasMoreUrlAndHonoursEndingBefore()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        for (var i = 0; i < 5; i++) await client.V1.Products.CreateAsync(new ProductCreateOptions { Name = $"P{i}" });

        var first = await client.V1.Products.ListAsync(new ProductListOptions { Limit = 2 });
        var second = await client.V1.Products.ListAsync(new ProductListOptions { Limit = 2, StartingAfter = first.Data[^1].Id });
        var back = await client.V1.Products.ListAsync(new ProductListOptions { Limit = 2, EndingBefore = second.Data[0].Id });
        var last = await client.V1.Products.ListAsync(new ProductListOptions { Limit = 2, StartingAfter = "x", EndingBefore = null }.With(second.Data[^1].Id));

        Assert.True(first.HasMore);
        Assert.Equal("/v1/products", first.Url);
        Assert.Equal(["P4", "P3"], first.Data.Select(p => p.Name));
        Assert.Equal(["P2", "P1"], second.Data.Select(p => p.Name));
        Assert.Equal(first.Data.Select(p => p.Id), back.Data.Select(p => p.Id));
        Assert.Equal(["P0"], last.Data.Select(p => p.Name));
        Assert.False(last.HasMore);
    }

    [Fact]
    public async Task ListsFilterOnCreatedRanges()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var fake = await FakeStripeServer.StartAsync(time);
        var client = fake.CreateClient();
        var old = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "old@acme.test" });
        time.Advance(TimeSpan.FromHours(1));
        var recent = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "new@acme.test" });

        var since = await client.V1.Customers.ListAsync(new CustomerListOptions { Created = new DateRangeOptions { GreaterThanOrEqual = recent.Created } });
        var before = await client.V1.Customers.ListAsync(new CustomerListOptions { Created = new DateRangeOptions { LessThan = recent.Created } });
        var events = await client.V1.Events.ListAsync(new EventListOptions { Created = new DateRangeOptions { GreaterThan = old.Created } });

        Assert.Equal([recent.Id], since.Data.Select(c => c.Id));
        Assert.Equal([old.Id], before.Data.Select(c => c.Id));
        Assert.Equal(recent.Id, ((Customer)Assert.Single(events.Data).Data.Object).Id);
    }

    [Fact]
    public async Task LimitOutOfRangeIsAnInvalidRequest()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();

        var e = await StripeAssert.ThrowsAsync(() => client.V1.Customers.ListAsync(new CustomerListOptions { Limit = 101 }), 400, "invalid_request_error");
        Assert.Equal("limit", e.StripeError.Param);
    }
}

internal static class ListOptionsExtensions
{
    public static ProductListOptions With(this ProductListOptions options, string startingAfter)
    {
        options.StartingAfter = startingAfter;
        return options;
    }
}
