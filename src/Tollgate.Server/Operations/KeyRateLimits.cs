using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Tollgate.Server.Api;
using Tollgate.Server.Environments;

namespace Tollgate.Server.Operations;

/// <summary>
/// ASP.NET Core's rate limiter partitioned by the <c>X-Schematic-Api-Key</c> header: one token bucket per key (by its
/// hash, so no key is held in clear), sized by the key's kind (its prefix), checked before the key is even looked up.
/// Over the limit: 429, <c>Retry-After</c> in seconds and an <c>{"error"}</c> body. Requests without the header (health,
/// docs, metrics, Stripe's webhooks, <c>/batch</c> with keys only in its events) are not limited here.
/// </summary>
internal static class KeyRateLimits
{
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("Tollgate:RateLimits")
            .Validate(o => o.IsValid(), "Tollgate:RateLimits: TokenLimit, TokensPerPeriod and ReplenishmentPeriod must be positive").ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, settings) =>
        {
            var limits = settings.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            if (!limits.Enabled)
            {
                return;
            }

            var secret = Bucket(limits.Secret);
            var publishable = Bucket(limits.Publishable);
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var key = http.Request.Headers[ApiKeyAuthentication.Header].ToString();
                if (key.Length == 0)
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                var settings = key.StartsWith(ApiKeySecrets.PublishablePrefix, StringComparison.Ordinal) ? publishable : secret;
                return RateLimitPartition.GetTokenBucketLimiter(ApiKeySecrets.Hash(key), _ => settings);
            });
        });
    }

    private static TokenBucketRateLimiterOptions Bucket(TokenBucketSettings settings) => new()
    {
        TokenLimit = settings.TokenLimit,
        TokensPerPeriod = settings.TokensPerPeriod,
        ReplenishmentPeriod = settings.ReplenishmentPeriod,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await response.WriteAsJsonAsync(new { error = $"rate limit: too many requests with this API key; retry after {seconds} s" }, cancellationToken).ConfigureAwait(false);
    }
}
