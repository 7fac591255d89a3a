using Microsoft.AspNetCore.Diagnostics;

namespace Tollgate.Server.Api;

/// <summary>Gives the framework's bodiless answers (no route, wrong method, wrong content type) an <c>{"error"}</c> body.</summary>
internal static class StatusCodeBodies
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var response = context.HttpContext.Response;
        if (context.HttpContext.Request.Path.StartsWithSegments("/console"))
        {
            return WebConsole.ConsoleResults.WriteStatusPageAsync(context.HttpContext);
        }

        var message = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "no such endpoint",
            StatusCodes.Status405MethodNotAllowed => "method not allowed on this endpoint",
            StatusCodes.Status415UnsupportedMediaType => "the body must be JSON (Content-Type: application/json)",
            _ => $"request failed with status {response.StatusCode}",
        };
        return response.WriteAsJsonAsync(new { error = message }, context.HttpContext.RequestAborted);
    }
}
