using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// Optional single sign-on with an OpenID Connect provider (authorization code with PKCE), on when
/// <c>Tollgate:Console:Oidc:Authority</c> and <c>ClientId</c> are set. The provider proves who someone is; the console
/// decides whether they may enter: only an existing user or someone with an open invitation for that email gets in
/// (<see cref="ConsoleAccounts.ResolveExternalSignInAsync"/>). The session is then the console's own cookie.
/// </summary>
public static class ConsoleOpenIdConnect
{
    /// <summary>The authentication scheme of the provider.</summary>
    public const string Scheme = "TollgateConsoleOidc";

    /// <summary>Where the provider sends the browser back.</summary>
    public const string CallbackPath = "/console/oidc/callback";

    internal static void Add(WebApplicationBuilder builder, AuthenticationBuilder authentication)
    {
        var settings = builder.Configuration.GetSection("Tollgate:Console:Oidc").Get<OidcOptions>() ?? new OidcOptions();
        if (!settings.IsEnabled)
        {
            return;
        }

        authentication.AddOpenIdConnect(Scheme, settings.DisplayName, oidc =>
        {
            oidc.Authority = settings.Authority;
            oidc.ClientId = settings.ClientId;
            oidc.ClientSecret = settings.ClientSecret;
            oidc.ResponseType = "code";
            oidc.UsePkce = true;
            oidc.RequireHttpsMetadata = !settings.AllowHttpAuthority;
            oidc.SignInScheme = ConsoleAuthentication.Scheme;
            oidc.CallbackPath = CallbackPath;
            oidc.Scope.Clear();
            oidc.Scope.Add("openid");
            oidc.Scope.Add("profile");
            oidc.Scope.Add("email");
            oidc.MapInboundClaims = false;
            oidc.Events.OnTokenValidated = OnTokenValidatedAsync;
            oidc.Events.OnRemoteFailure = context =>
            {
                context.Response.Redirect("/console/sign-in?error=sso");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
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
            context.Fail("not invited");
            return;
        }

        context.Principal = ConsoleAuthentication.PrincipalOf(user);
    }
}
