namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>OpenID Connect sign-in for the console (<c>Tollgate:Console:Oidc</c>).</summary>
public sealed class OidcOptions
{
    /// <summary>The issuer, e.g. <c>https://login.example.com/realms/acme</c>; sign-in with it is offered when set.</summary>
    public string? Authority { get; set; }

    /// <summary>The client id registered with the provider.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret (authorization-code flow).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The button's label. Default "Single sign-on".</summary>
    public string DisplayName { get; set; } = "Single sign-on";

    /// <summary>Allow an HTTP authority (a development identity provider only). Default false.</summary>
    public bool AllowHttpAuthority { get; set; }

    /// <summary>Whether OpenID Connect sign-in is configured.</summary>
    public bool IsEnabled => Authority is { Length: > 0 } && ClientId is { Length: > 0 };
}
