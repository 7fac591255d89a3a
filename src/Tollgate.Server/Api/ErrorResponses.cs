using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// Turns failures into Schematic's error body <c>{"error": "…"}</c>: request errors with their status, unreadable
/// bodies as 400 naming the JSON path, anything else as 500 without internals (and logged).
/// </summary>
internal sealed partial class ErrorResponses(ILogger<ErrorResponses> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, message) = exception switch
        {
            RequestException e => (e.StatusCode, e.Message),
            BadHttpRequestException { InnerException: JsonException json } => (StatusCodes.Status400BadRequest, DescribeJsonError(json)),
            BadHttpRequestException e when e.StatusCode == StatusCodes.Status413PayloadTooLarge => (e.StatusCode, "body: too large"),
            BadHttpRequestException e => (e.StatusCode, $"request: {e.Message}"),
            JsonException json => (StatusCodes.Status400BadRequest, DescribeJsonError(json)),
            Storage.ConcurrentChangeException e => (StatusCodes.Status409Conflict, $"conflict: {e.Message}"),
            _ when Storage.UniqueViolation.Is(exception) => (StatusCodes.Status409Conflict, "conflict: a concurrent request wrote the same key; retry"),
            _ => (StatusCodes.Status500InternalServerError, "internal error"),
        };
        if (status >= 500)
        {
            LogUnhandled(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        }

        httpContext.Response.StatusCode = status;
        if (httpContext.Request.Path.StartsWithSegments("/console"))
        {
            await WebConsole.ConsoleResults.WriteStatusPageAsync(httpContext, status < 500 ? message : null).ConfigureAwait(false);
            return true;
        }

        await httpContext.Response.WriteAsJsonAsync(new { error = message }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Names the field by its JSON path, e.g. <c>body.feature_type: …</c>.</summary>
    private static string DescribeJsonError(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : "body" + json.Path[1..];
        var problem = json.InnerException?.Message ?? json.Message;
        var cut = problem.IndexOf(" Path:", StringComparison.Ordinal);
        return $"{path}: {(cut > 0 ? problem[..cut] : problem)}";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
