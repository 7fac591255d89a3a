namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>The one table of who may write what: the role → area rules every page and every POST is checked against.</summary>
public static class ConsoleRights
{
    /// <summary>Whether <paramref name="role"/> may write to <paramref name="area"/>.</summary>
    public static bool Can(ConsoleRole role, ConsoleArea area) => area switch
    {
        ConsoleArea.Public or ConsoleArea.Self => true,
        ConsoleArea.Companies => role is ConsoleRole.Support or ConsoleRole.Admin or ConsoleRole.Owner,
        ConsoleArea.Catalog => role is ConsoleRole.Editor or ConsoleRole.Admin or ConsoleRole.Owner,
        ConsoleArea.Operations or ConsoleArea.Team => role is ConsoleRole.Admin or ConsoleRole.Owner,
        _ => false,
    };

    /// <summary>The role's name as stored and shown (lower case).</summary>
    public static string Name(ConsoleRole role) => role.ToString().ToLowerInvariant();

    /// <summary>A stored or submitted role name; null when it names no role.</summary>
    public static ConsoleRole? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "viewer" => ConsoleRole.Viewer,
        "support" => ConsoleRole.Support,
        "editor" => ConsoleRole.Editor,
        "admin" => ConsoleRole.Admin,
        "owner" => ConsoleRole.Owner,
        _ => null,
    };

    /// <summary>One line on what the role may do, for the team page and invitations.</summary>
    public static string Describe(ConsoleRole role) => role switch
    {
        ConsoleRole.Owner => "Everything, including the team's owners.",
        ConsoleRole.Admin => "Everything except owners: environments, API keys, Stripe, the team.",
        ConsoleRole.Editor => "The catalog and plan migrations.",
        ConsoleRole.Support => "Companies, overrides, trials and credits.",
        _ => "Reads everything, changes nothing.",
    };
}
