using Microsoft.Net.Http.Headers;

namespace Tollgate.Server.Api;

/// <summary>
/// Accepts a JSON body sent without <c>Content-Type: application/json</c>, as lenient APIs do: <c>curl -d '{…}'</c> sends
/// <c>application/x-www-form-urlencoded</c>, and some clients send no type or <c>text/plain</c>. Such a body whose first
/// non-blank byte opens a JSON object or array is relabelled <c>application/json</c> before the endpoint binds it.
/// Requests already labelled JSON (every SDK) pass untouched, so the check path pays nothing.
/// </summary>
internal static class LenientJsonContentType
{
    /// <summary>How far into the body to look for the first non-blank byte.</summary>
    private const int PeekBytes = 1024;

    public static IApplicationBuilder UseLenientJsonContentType(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (IsRelabelCandidate(request) && await StartsLikeJsonAsync(request, http.RequestAborted).ConfigureAwait(false))
        {
            request.ContentType = "application/json";
        }

        await next(http).ConfigureAwait(false);
    });

    private static bool IsRelabelCandidate(HttpRequest request)
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)))
        {
            return false;
        }

        if (string.IsNullOrEmpty(request.ContentType))
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
        {
            return false;
        }

        return type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || type.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<bool> StartsLikeJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        var buffer = new byte[256];
        var seen = 0;
        try
        {
            while (seen < PeekBytes)
            {
                var n = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return false;
                }

                seen += n;
                foreach (var b in buffer.AsSpan(0, n))
                {
                    if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                    {
                        return b is (byte)'{' or (byte)'[';
                    }
                }
            }

            return false;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
