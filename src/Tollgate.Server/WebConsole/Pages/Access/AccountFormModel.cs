using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tollgate.Server.Requests;

namespace Tollgate.Server.WebConsole.Pages.Access;

/// <summary>The pages where someone joins the console (set-up, invitation): a <see cref="NewAccountInput"/> form.</summary>
public abstract class AccountFormModel : PageModel
{
    /// <summary>The submitted form.</summary>
    [BindProperty]
    public NewAccountInput Input { get; set; } = new();

    /// <summary>Runs the write; a refusal becomes an error next to the field it names.</summary>
    protected async Task<bool> TryAsync(Func<Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
        catch (RequestException e)
        {
            var colon = e.Message.IndexOf(": ", StringComparison.Ordinal);
            var field = colon > 0 ? e.Message[..colon] : string.Empty;
            if (NewAccountInput.Fields.TryGetValue(field, out var key))
            {
                ModelState.AddModelError(key, e.Message[(colon + 2)..]);
            }
            else
            {
                ModelState.AddModelError(string.Empty, colon > 0 ? e.Message[(colon + 2)..] : e.Message);
            }

            Response.StatusCode = e.StatusCode == StatusCodes.Status400BadRequest ? StatusCodes.Status422UnprocessableEntity : e.StatusCode;
            return false;
        }
    }
}
