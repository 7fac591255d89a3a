namespace Tollgate.Server.WebConsole;

/// <summary>The sidebar: sections of links. A page that should appear in it adds one line here.</summary>
public static class ConsoleNavigation
{
    /// <summary>One link: its label, its path, and whether it is current for paths under it as well.</summary>
    public sealed record Item(string Label, string Path, bool MatchChildren = true);

    /// <summary>One titled group of links.</summary>
    public sealed record Section(string Title, IReadOnlyList<Item> Items);

    /// <summary>The sidebar, top to bottom.</summary>
    public static readonly IReadOnlyList<Section> Sections =
    [
        new("Customers",
        [
            new("Overview", "/console", MatchChildren: false),
            new("Companies", "/console/companies"),
        ]),
        new("Catalog",
        [
            new("Flags", "/console/flags"),
            new("Check as…", "/console/check"),
            new("Features", "/console/features"),
            new("Plans and add-ons", "/console/plans"),
            new("Entitlement grid", "/console/plans/grid"),
            new("Plan groups", "/console/plan-groups"),
            new("Credits", "/console/credits"),
        ]),
        new("Operations",
        [
            new("Live events", "/console/events"),
            new("Audit log", "/console/audit"),
            new("Stripe", "/console/stripe"),
            new("Environments & keys", "/console/environments"),
            new("Migrations", "/console/migrations"),
        ]),
        new("Settings",
        [
            new("Team", "/console/team"),
            new("Your account", "/console/account"),
        ]),
    ];

    /// <summary>Whether <paramref name="item"/> is the page at <paramref name="path"/> (for <c>aria-current</c>).</summary>
    public static bool IsCurrent(Item item, string path)
    {
        ArgumentNullException.ThrowIfNull(item);
        return string.Equals(path.TrimEnd('/'), item.Path, StringComparison.OrdinalIgnoreCase)
            || (item.MatchChildren && path.StartsWith(item.Path + "/", StringComparison.OrdinalIgnoreCase)
                && !Sections.Any(s => s.Items.Any(other => other != item && other.Path.Length > item.Path.Length && IsCurrent(other, path))));
    }
}
