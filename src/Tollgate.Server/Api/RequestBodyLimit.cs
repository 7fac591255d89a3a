using Microsoft.AspNetCore.Http.Features;

namespace Tollgate.Server.Api;

/// <summary>
/// <c>Tollgate:MaxRequestBodyBytes</c> enforced by the application, not only by Kestrel: hosts without Kestrel's limit
/// (the in-process test server, IIS in-process) must answer an oversized body with 413 too.
/// </summary>
internal static class RequestBodyLimit
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app, long maxBytes) => app.Use(async (http, next) =>
    {
        if (http.Request.ContentLength > maxBytes)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.Response.WriteAsJsonAsync(new { error = $"body: too large (at most {maxBytes} bytes)" }, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        // A body of undeclared length is cut off by the host's own limit, where the host has one.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        await next(http).ConfigureAwait(false);
    });
}
