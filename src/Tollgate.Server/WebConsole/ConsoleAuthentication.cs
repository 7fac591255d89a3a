using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// The console's sign-in session: an encrypted cookie (Data Protection, whose key ring is in the database, so any node
/// reads any node's cookie). The cookie names the user and their security stamp; every request re-reads the user, and a
/// changed stamp (new password, new role, disabled) ends the session everywhere.
/// </summary>
public static class ConsoleAuthentication
{
    /// <summary>The authentication scheme of the console's cookie.</summary>
    public const string Scheme = "TollgateConsole";

    /// <summary>The cookie's name.</summary>
    public const string CookieName = "tollgate_console";

    private const string StampClaim = "tollgate:stamp";
    private static readonly object UserItem = new();

    /// <summary>The signed-in user of the request (validated against the database), or null.</summary>
    public static ConsoleUser? CurrentUser(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[UserItem] as ConsoleUser;
    }

    /// <summary>Starts a session for <paramref name="user"/>.</summary>
    public static Task SignInAsync(HttpContext http, ConsoleUser user)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.SignInAsync(Scheme, PrincipalOf(user), new AuthenticationProperties { IsPersistent = false });
    }

    /// <summary>The principal the session cookie carries for <paramref name="user"/>.</summary>
    public static ClaimsPrincipal PrincipalOf(ConsoleUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id),
                new Claim(ClaimTypes.Name, user.Name),
                new Claim(ClaimTypes.Email, user.Email),
                new Claim(StampClaim, user.SecurityStamp),
            ],
            Scheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Ends the session.</summary>
    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);

    internal static void Configure(CookieAuthenticationOptions cookie, ConsoleOptions settings)
    {
        cookie.Cookie.Name = CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = settings.RequireHttpsCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        cookie.Cookie.Path = "/";
        cookie.LoginPath = "/console/sign-in";
        cookie.LogoutPath = "/console/sign-out";
        cookie.AccessDeniedPath = "/console/sign-in";
        cookie.ReturnUrlParameter = "returnUrl";
        cookie.ExpireTimeSpan = settings.SessionLifetime;
        cookie.SlidingExpiration = true;
        cookie.Events.OnValidatePrincipal = ValidateAsync;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = context.Principal?.FindFirstValue(StampClaim);
        var store = context.HttpContext.RequestServices.GetRequiredService<ConsoleUserStore>();
        var user = id is null ? null : await store.FindAsync(id, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (user is null || !user.IsActive || user.SecurityStamp != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme).ConfigureAwait(false);
            return;
        }

        context.HttpContext.Items[UserItem] = user;
    }
}
