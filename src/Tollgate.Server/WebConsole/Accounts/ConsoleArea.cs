namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>What a console write touches; <see cref="ConsoleRights"/> says which roles may write to each.</summary>
public enum ConsoleArea
{
    /// <summary>Writes anyone may make without signing in: signing in, setting up the owner, accepting an invitation.</summary>
    Public,

    /// <summary>A signed-in user's own session and account: sign out, switch environment, change their password.</summary>
    Self,

    /// <summary>Companies, users, overrides, trials, plan changes and credits of a company.</summary>
    Companies,

    /// <summary>Features, flags, plans, add-ons, entitlements, plan versions, plan groups, credit types, migrations.</summary>
    Catalog,

    /// <summary>Environments, API keys, the Stripe connection, webhooks.</summary>
    Operations,

    /// <summary>Console users and invitations.</summary>
    Team,
}
