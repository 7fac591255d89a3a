using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tollgate.Client.AspNetCore;

/// <summary>Gating and metering minimal-API endpoints (and route groups) with one line each.</summary>
public static class TollgateEndpointExtensions
{
    /// <summary>
    /// Lets a request through only when <paramref name="flagKey"/> is true for its company and user
    /// (<see cref="TollgateAspNetCoreOptions.CompanyKeys"/>); otherwise answers 402 with <see cref="UpgradeRequired"/>.
    /// </summary>
    public static TBuilder RequireEntitlement<TBuilder>(this TBuilder builder, string flagKey)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrEmpty(flagKey);
        return builder.AddEndpointFilter(async (context, next) =>
            await EntitlementGate.CheckAsync(context.HttpContext, flagKey).ConfigureAwait(false) ?? await next(context).ConfigureAwait(false));
    }

    /// <summary>
    /// Tracks <paramref name="quantity"/> of <paramref name="eventName"/> for the request's company and user after each
    /// request the endpoint answers with a success (2xx); refused and failed requests are not counted.
    /// </summary>
    public static TBuilder TrackUsage<TBuilder>(this TBuilder builder, string eventName, int quantity = 1)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context).ConfigureAwait(false);
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : context.HttpContext.Response.StatusCode;
            if (status is >= 200 and < 300)
            {
                EntitlementGate.Track(context.HttpContext, eventName, quantity);
            }

            return result;
        });
    }
}
