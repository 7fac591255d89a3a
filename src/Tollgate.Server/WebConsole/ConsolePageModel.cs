using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tollgate.Server.Requests;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// The base of every signed-in console page: the <see cref="ConsoleContext"/> (user, environment, scope), a flash
/// message carried over a redirect, and <see cref="TryAsync"/>, which turns a service's <see cref="RequestException"/>
/// (<c>"field: problem"</c>) into an error shown next to that field.
/// </summary>
public abstract class ConsolePageModel : PageModel
{
    private const string FlashKey = "console.flash";
    private const string FlashKindKey = "console.flash.kind";

    /// <summary>Who is signed in, which environment they are in, and the scope to call services with.</summary>
    public ConsoleContext Console => ConsoleRequestFilter.Of(HttpContext)
        ?? throw new InvalidOperationException("A console page ran without a signed-in user; the page must not allow anonymous access.");

    /// <summary>The message to show once at the top of the next page, and its kind (ok, bad, info).</summary>
    /// <remarks>
    /// Reading through the indexer marks the message read, so it is dropped when this request ends: a
    /// <c>TempData.Peek</c> would keep it, and the page after the next one showed the same message again.
    /// </remarks>
    public (string Message, string Kind)? Flash =>
        TempData[FlashKey] is string message ? (message, TempData[FlashKindKey] as string ?? "ok") : null;

    /// <summary>Sets the message the next page shows once (after a redirect).</summary>
    protected void SetFlash(string message, string kind = "ok")
    {
        TempData[FlashKey] = message;
        TempData[FlashKindKey] = kind;
    }

    /// <summary>
    /// Runs a write; a <see cref="RequestException"/> becomes a model error on the field it names (through
    /// <paramref name="fields"/>, which maps the API's field names to this form's, e.g. <c>body.name</c> → <c>Input.Name</c>),
    /// or on the whole form. Returns whether the write succeeded.
    /// </summary>
    protected async Task<bool> TryAsync(Func<Task> write, IReadOnlyDictionary<string, string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
        catch (RequestException e)
        {
            AddError(e.Message, fields);
            // A refused value is 422 (the page is shown again with the error); not found, forbidden, conflict stay as they are.
            Response.StatusCode = e.StatusCode == StatusCodes.Status400BadRequest ? StatusCodes.Status422UnprocessableEntity : e.StatusCode;
            return false;
        }
    }

    /// <summary>Adds an API-style error (<c>"field: problem"</c>) to the field it names, or to the form.</summary>
    protected void AddError(string message, IReadOnlyDictionary<string, string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && !message[..colon].Contains(' ', StringComparison.Ordinal))
        {
            var field = message[..colon];
            var problem = message[(colon + 2)..];
            var key = fields is not null && fields.TryGetValue(field, out var mapped) ? mapped : fields is not null && fields.TryGetValue(field.Replace("body.", string.Empty, StringComparison.Ordinal), out var bare) ? bare : string.Empty;
            ModelState.AddModelError(key, key.Length == 0 ? message : problem);
            return;
        }

        ModelState.AddModelError(string.Empty, message);
    }

    /// <summary>A redirect to a local URL only (never to another site); <c>/console</c> otherwise.</summary>
    protected IActionResult RedirectToLocal(string? url) => Url.IsLocalUrl(url) ? LocalRedirect(url!) : LocalRedirect("/console");
}
