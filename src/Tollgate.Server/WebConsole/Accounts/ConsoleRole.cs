namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>What a console user may do, from least to most (the order is used: an inviter grants at most their own role).</summary>
public enum ConsoleRole
{
    /// <summary>Reads everything, changes nothing.</summary>
    Viewer = 0,

    /// <summary>Companies, overrides, trials and credits.</summary>
    Support = 1,

    /// <summary>The catalog (features, flags, plans, entitlements, plan groups, credit types) and plan migrations.</summary>
    Editor = 2,

    /// <summary>Everything but the owner's own standing: environments, API keys, Stripe, the team.</summary>
    Admin = 3,

    /// <summary>Everything, including making and unmaking owners.</summary>
    Owner = 4,
}
