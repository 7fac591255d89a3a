using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages;

/// <summary>Ends the session (POST only, so a link elsewhere cannot sign anyone out).</summary>
[ConsoleWrites(ConsoleArea.Self)]
public sealed class SignOutModel : ConsolePageModel
{
    public IActionResult OnGet() => LocalRedirect("/console");

    public async Task<IActionResult> OnPostAsync()
    {
        await ConsoleAuthentication.SignOutAsync(HttpContext).ConfigureAwait(false);
        return LocalRedirect("/console/sign-in");
    }
}
