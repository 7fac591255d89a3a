using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// Optional single sign-on with an OpenID Connect provider (authorization code with PKCE), on when
/// <c>Tollgate:Console:Oidc:Authority</c> and <c>ClientId</c> are set. The provider proves who someone is; the console
/// decides whether they may enter: only an existing user or someone with an open invitation for that email gets in
/// (<see cref="ConsoleAccounts.ResolveExternalSignInAsync"/>). The session is then the console's own cookie.
/// </summary>
/// <remarks>
/// The scheme is always registered and configured from <see cref="ConsoleOptions"/> when first used, then removed at
/// start-up when single sign-on is off: the settings are read once the configuration is complete, not while the
/// application is still being built (when sources added later, e.g. by a host or a test, are not there yet).
/// </remarks>
public static class ConsoleOpenIdConnect
{
    /// <summary>The authentication scheme of the provider.</summary>
    public const string Scheme = "TollgateConsoleOidc";

    /// <summary>Where the provider sends the browser back.</summary>
    public const string CallbackPath = "/console/oidc/callback";

    /// <summary>The sign-in page's <c>error</c> when the provider vouched for someone the console does not know.</summary>
    public const string NotInvitedError = "sso-not-invited";

    /// <summary>The sign-in page's <c>error</c> when single sign-on itself failed (the provider refused, a bad answer).</summary>
    public const string FailedError = "sso-failed";

    private const string NotInvited = "not invited";

    internal static void Add(IServiceCollection services, AuthenticationBuilder authentication)
    {
        authentication.AddOpenIdConnect(Scheme, "Single sign-on", _ => { });
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<ConsoleOptions>>((oidc, console) => Configure(oidc, console.Value));
    }

    /// <summary>Removes the scheme when single sign-on is not configured, so nothing answers at its callback.</summary>
    internal static void Use(WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Oidc.IsEnabled)
        {
            app.Services.GetRequiredService<IAuthenticationSchemeProvider>().RemoveScheme(Scheme);
        }
    }

    private static void Configure(OpenIdConnectOptions oidc, ConsoleOptions console)
    {
        var settings = console.Oidc;
        oidc.Authority = settings.Authority;
        oidc.ClientId = settings.ClientId;
        oidc.ClientSecret = settings.ClientSecret;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.UsePkce = true;
        oidc.RequireHttpsMetadata = !settings.AllowHttpAuthority;
        oidc.SignInScheme = ConsoleAuthentication.Scheme;
        oidc.CallbackPath = CallbackPath;
        oidc.Scope.Clear();
        oidc.Scope.Add("openid");
        oidc.Scope.Add("profile");
        oidc.Scope.Add("email");
        oidc.MapInboundClaims = false;

        // The provider sends the code back with a top-level GET redirect (not a cross-site form post), so the state and
        // nonce cookies can be SameSite=Lax: they then work over plain HTTP in development too, where browsers drop the
        // SameSite=None cookies a form post would need.
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        var secure = console.RequireHttpsCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.SecurePolicy = secure;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = secure;

        oidc.Events.OnTokenValidated = OnTokenValidatedAsync;
        oidc.Events.OnRemoteFailure = context =>
        {
            var notInvited = context.Failure?.Message == NotInvited;
            var log = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleOpenIdConnect));
            if (notInvited)
            {
                ConsoleOpenIdConnectLog.NotInvited(log);
            }
            else
            {
                ConsoleOpenIdConnectLog.Failed(log, context.Failure?.Message ?? "no reason given");
            }

            var error = notInvited ? NotInvitedError : FailedError;
            context.Response.Redirect($"/console/sign-in?error={error}");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    private static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        if (context.Principal is not { } principal || principal.FindFirstValue("sub") is not { } subject)
        {
            context.Fail("the identity provider sent no subject");
            return;
        }

        // An unverified email proves nothing: it must not link to, or accept an invitation for, that address.
        var email = principal.FindFirstValue("email_verified") is "false" ? null : principal.FindFirstValue("email");
        var accounts = context.HttpContext.RequestServices.GetRequiredService<ConsoleAccounts>();
        var user = await accounts.ResolveExternalSignInAsync(subject, email, principal.FindFirstValue("name"), context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            context.Fail(NotInvited);
            return;
        }

        context.Principal = ConsoleAuthentication.PrincipalOf(user);
    }
}
