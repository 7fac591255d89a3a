using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// The sidebar: sections of links. A page that should appear in it adds one line here. Every signed-in role may read
/// every console page, so a link is shown to everyone unless the page has nothing to read: such a page names the area
/// it writes (<see cref="Item.WritesOnly"/>) and is shown only to the roles that may write there (<see cref="For(ConsoleRole?)"/>).
/// </summary>
public static class ConsoleNavigation
{
    /// <summary>
    /// One link: its label, its path, whether it is current for paths under it as well, and — for a page whose every
    /// purpose is a write — the area it writes, which hides it from roles that may not write there.
    /// </summary>
    public sealed record Item(string Label, string Path, bool MatchChildren = true, ConsoleArea? WritesOnly = null)
    {
        /// <summary>Whether a user with <paramref name="role"/> can use the page (nobody signed in: read-only pages only).</summary>
        public bool IsFor(ConsoleRole? role) => WritesOnly is not { } area || (role is { } known && ConsoleRights.Can(known, area));
    }

    /// <summary>One titled group of links.</summary>
    public sealed record Section(string Title, IReadOnlyList<Item> Items);

    /// <summary>The sidebar, top to bottom.</summary>
    public static readonly IReadOnlyList<Section> Sections =
    [
        new("Customers",
        [
            new("Overview", "/console", MatchChildren: false),
            new("Companies", "/console/companies"),
            new("Insights", "/console/insights"),
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
            new("Webhooks", "/console/webhooks"),
            new("Environments & keys", "/console/environments"),
            new("Migrations", "/console/migrations"),
        ]),
        new("Settings",
        [
            new("Team", "/console/team"),
            new("Your account", "/console/account"),
        ]),
    ];

    /// <summary>The sidebar as <paramref name="role"/> sees it: the links its role can use, sections left empty dropped.</summary>
    public static IReadOnlyList<Section> For(ConsoleRole? role) => For(Sections, role);

    /// <summary><paramref name="sections"/> as <paramref name="role"/> sees them (see <see cref="For(ConsoleRole?)"/>).</summary>
    public static IReadOnlyList<Section> For(IReadOnlyList<Section> sections, ConsoleRole? role)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var shown = new List<Section>(sections.Count);
        foreach (var section in sections)
        {
            var items = section.Items.Where(i => i.IsFor(role)).ToList();
            if (items.Count > 0)
            {
                shown.Add(items.Count == section.Items.Count ? section : section with { Items = items });
            }
        }

        return shown;
    }

    /// <summary>Whether <paramref name="item"/> is the page at <paramref name="path"/> (for <c>aria-current</c>).</summary>
    public static bool IsCurrent(Item item, string path)
    {
        ArgumentNullException.ThrowIfNull(item);
        return string.Equals(path.TrimEnd('/'), item.Path, StringComparison.OrdinalIgnoreCase)
            || (item.MatchChildren && path.StartsWith(item.Path + "/", StringComparison.OrdinalIgnoreCase)
                && !Sections.Any(s => s.Items.Any(other => other != item && other.Path.Length > item.Path.Length && IsCurrent(other, path))));
    }
}
