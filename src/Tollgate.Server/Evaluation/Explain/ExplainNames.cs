using System.Globalization;
using Tollgate.Server.Catalog;

namespace Tollgate.Server.Evaluation.Explain;

/// <summary>The names an explanation shows instead of ids: the catalog's, and the companies, users and credit types it mentions.</summary>
internal sealed class ExplainNames(
    CatalogSnapshot catalog,
    IReadOnlyDictionary<string, string> companies,
    IReadOnlyDictionary<string, string> users,
    IReadOnlyDictionary<string, string> credits)
{
    /// <summary>How many ids a condition lists by name before "and N more".</summary>
    public const int Shown = 5;

    public string Company(string id) => companies.TryGetValue(id, out var name) ? name : id;

    public string User(string id) => users.TryGetValue(id, out var name) ? name : id;

    public string Credit(string id) => credits.TryGetValue(id, out var name) ? name : id;

    public string Plan(string id) => catalog.Plans.TryGetValue(id, out var plan) ? plan.Name : id;

    public string PlanVersion(string id) =>
        catalog.VersionsById.TryGetValue(id, out var version) && catalog.Plans.TryGetValue(version.PlanId, out var plan)
            ? string.Create(CultureInfo.InvariantCulture, $"{plan.Name} v{version.Version}")
            : id;

    public TraitDefinitionRecord? Trait(string id) => catalog.TraitsById.TryGetValue(id, out var trait) ? trait : null;

    /// <summary>Up to <see cref="Shown"/> names, then how many more.</summary>
    public static string List(IReadOnlyList<string> ids, Func<string, string> name)
    {
        if (ids.Count == 0)
        {
            return "none";
        }

        var shown = string.Join(", ", ids.Take(Shown).Select(name));
        return ids.Count > Shown ? string.Create(CultureInfo.InvariantCulture, $"{shown} and {ids.Count - Shown} more") : shown;
    }
}
