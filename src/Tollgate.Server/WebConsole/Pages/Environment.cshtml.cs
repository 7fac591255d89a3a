using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages;

/// <summary>Switches the environment the console shows (a cookie; validated against the environments on every request).</summary>
[ConsoleWrites(ConsoleArea.Self)]
public sealed class EnvironmentModel : ConsolePageModel
{
    public IActionResult OnGet() => LocalRedirect("/console");

    public IActionResult OnPost([FromForm] string? environmentId, [FromForm] string? returnUrl)
    {
        var chosen = Console.Environments.FirstOrDefault(e => e.Id == environmentId);
        if (chosen is null)
        {
            SetFlash("That environment does not exist (any more).", "bad");
            return RedirectToLocal(returnUrl);
        }

        Response.Cookies.Append(ConsoleRequestFilter.EnvironmentCookie, chosen.Id, new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = Request.IsHttps,
            Path = "/console",
            MaxAge = TimeSpan.FromDays(365),
        });
        SetFlash($"Now showing the {chosen.Name} environment.", "info");

        // A page of one environment's resource (a company, a plan) means nothing in another: go to the start.
        return LocalRedirect(returnUrl is { } url && Url.IsLocalUrl(url) && url.Count(c => c == '/') <= 2 ? url : "/console");
    }
}
