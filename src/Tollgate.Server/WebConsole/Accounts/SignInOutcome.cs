namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>How a password sign-in went. The page says only "wrong email or password" for both unknown cases.</summary>
public enum SignInStatus
{
    /// <summary>Signed in.</summary>
    Succeeded,

    /// <summary>No such user, no password set, or the wrong password.</summary>
    Invalid,

    /// <summary>Too many wrong passwords in a row: locked until <see cref="SignInOutcome.LockedUntil"/>.</summary>
    LockedOut,

    /// <summary>The account was disabled by an admin.</summary>
    Disabled,
}

/// <summary>The outcome of a sign-in attempt, with the user when it succeeded.</summary>
public sealed record SignInOutcome(SignInStatus Status, ConsoleUser? User = null, DateTimeOffset? LockedUntil = null);
