using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc;

namespace Tollgate.Server.WebConsole;

/// <summary>Small answers the console gives outside its pages.</summary>
internal static class ConsoleResults
{
    /// <summary>403 with a readable page saying why.</summary>
    public static ContentResult Forbidden(string reason) => new()
    {
        StatusCode = StatusCodes.Status403Forbidden,
        ContentType = "text/html; charset=utf-8",
        Content = Page("Not allowed", reason),
    };

    /// <summary>A page for a bodiless console answer (no such page, an expired form) or an error a page did not catch.</summary>
    public static Task WriteStatusPageAsync(HttpContext http, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (title, text) = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ("Not found", "There is no such page, or what it showed no longer exists in this environment."),
            StatusCodes.Status400BadRequest => ("The form expired", "The page was open too long or was sent twice. Go back, reload it, and try again."),
            StatusCodes.Status403Forbidden => ("Not allowed", "Your role may not do this."),
            StatusCodes.Status405MethodNotAllowed => ("Not allowed", "This page cannot be used that way."),
            >= 500 => ("Something went wrong", "Tollgate could not finish this. Nothing was half-done: try again, and if it keeps failing, the server's log says why."),
            _ => ("Request refused", $"The request failed with status {http.Response.StatusCode}."),
        };
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(Page(title, detail ?? text), http.RequestAborted);
    }

    private static string Page(string title, string text) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{HtmlEncoder.Default.Encode(title)}} · Tollgate</title><link rel="stylesheet" href="{{ConsoleAssets.Url("console.css")}}"></head>
        <body class="bare"><main class="card narrow"><h1>{{HtmlEncoder.Default.Encode(title)}}</h1><p role="alert">{{HtmlEncoder.Default.Encode(text)}}</p>
        <p><a class="button" href="/console">Back to the console</a></p></main></body></html>
        """;
}
