using Stripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>Assertions on errors raised by Stripe.net.</summary>
internal static class StripeAssert
{
    public static async Task<StripeException> ThrowsAsync(Func<Task> call, int status, string type, string? code = null)
    {
        var e = await Assert.ThrowsAnyAsync<StripeException>(call);
        Assert.Equal(status, (int)e.HttpStatusCode);
        Assert.Equal(type, e.StripeError?.Type);
        if (code is not null) Assert.Equal(code, e.StripeError?.Code);
        return e;
    }
}
