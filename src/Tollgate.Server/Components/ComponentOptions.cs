namespace Tollgate.Server.Components;

/// <summary>Settings of the components area (<c>Tollgate:Components</c>).</summary>
public sealed class ComponentOptions
{
    /// <summary>The longest lifetime a temporary access token may be given.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a temporary access token stays valid after it is issued (default 15 minutes, Schematic's: a browser
    /// page asks its backend for a new one when the component mounts).
    /// </summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Whether the settings can be used: the token lifetime is positive and at most a day.</summary>
    public bool IsValid() => TokenLifetime > TimeSpan.Zero && TokenLifetime <= MaxTokenLifetime;
}
