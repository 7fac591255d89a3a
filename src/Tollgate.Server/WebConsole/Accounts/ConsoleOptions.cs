namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>The console's settings (<c>Tollgate:Console</c>).</summary>
public sealed class ConsoleOptions
{
    /// <summary>Wrong passwords in a row before an account is locked. Default 5.</summary>
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>How long a locked account stays locked. Default 15 minutes.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts per client address per minute before 429. Default 10.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>How long an invitation link works. Default 7 days.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long the first-start owner link works. Default 24 hours (each start without an owner makes a new one).</summary>
    public TimeSpan SetupLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a sign-in lasts without use. Default 12 hours (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Send the session cookie only over HTTPS. Default false: the cookie is secure whenever the request came over HTTPS
    /// (behind a proxy: with forwarded headers configured), so plain-HTTP development on localhost still works.
    /// </summary>
    public bool RequireHttpsCookies { get; set; }

    /// <summary>Optional OpenID Connect sign-in; off unless <see cref="OidcOptions.Authority"/> is set.</summary>
    public OidcOptions Oidc { get; set; } = new();

    /// <summary>The minimum length of a console password.</summary>
    public const int MinimumPasswordLength = 12;
}
