using System.Globalization;
using Tollgate.Server.Catalog;
using Tollgate.Server.Credits;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.WebConsole.Versions;

/// <summary>How a row of a version diff differs.</summary>
public enum DiffKind
{
    /// <summary>Only in the newer version.</summary>
    Added,

    /// <summary>Only in the older version.</summary>
    Removed,

    /// <summary>In both, with at least one aspect changed.</summary>
    Changed,

    /// <summary>In both, the same.</summary>
    Same,
}

/// <summary>One aspect of a diff row: its value before and after (null where it does not apply).</summary>
public sealed record DiffAspect(string Name, string? Before, string? After)
{
    /// <summary>Whether the aspect differs.</summary>
    public bool IsChanged => !string.Equals(Before, After, StringComparison.Ordinal);
}

/// <summary>One feature's entitlement, or one credit grant, compared between two versions.</summary>
public sealed record DiffRow(string Section, string Name, string Key, DiffKind Kind, IReadOnlyList<DiffAspect> Aspects)
{
    /// <summary>The CSS class of the row (the console's <c>.diff-*</c> classes).</summary>
    public string CssClass => Kind switch
    {
        DiffKind.Added => "diff-added",
        DiffKind.Removed => "diff-removed",
        DiffKind.Changed => "diff-changed",
        _ => string.Empty,
    };
}

/// <summary>
/// Two versions of a plan side by side: each feature's entitlement (value, period, soft limit, warning tiers, credits)
/// and each plan credit grant of the version, added, removed, changed or the same. Read from the catalog snapshot and
/// the plan's credit grants; nothing is written.
/// </summary>
internal static class VersionComparison
{
    public const string Entitlements = "Entitlements";
    public const string CreditGrants = "Credit grants";

    public static IReadOnlyList<DiffRow> Compare(
        CatalogSnapshot catalog, string fromVersionId, string toVersionId, IReadOnlyList<CreditTypeRecord> creditTypes, IReadOnlyList<PlanCreditGrantRecord> planGrants)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var creditNames = creditTypes.ToDictionary(c => c.Id, c => c.Name, StringComparer.Ordinal);
        var rows = new List<DiffRow>();
        var before = ByFeature(catalog, fromVersionId);
        var after = ByFeature(catalog, toVersionId);
        foreach (var featureId in before.Keys.Union(after.Keys).OrderBy(f => FeatureName(catalog, f), StringComparer.OrdinalIgnoreCase))
        {
            var from = before.TryGetValue(featureId, out var b) ? EntitlementText.Describe(b, catalog, creditNames) : null;
            var to = after.TryGetValue(featureId, out var a) ? EntitlementText.Describe(a, catalog, creditNames) : null;
            rows.Add(Row(Entitlements, FeatureName(catalog, featureId), catalog.FlagOf(featureId)?.Key ?? featureId, from, to, EntitlementText.Aspects));
        }

        var grantsBefore = Grants(catalog, planGrants, fromVersionId);
        var grantsAfter = Grants(catalog, planGrants, toVersionId);
        foreach (var creditId in grantsBefore.Keys.Union(grantsAfter.Keys).OrderBy(c => creditNames.GetValueOrDefault(c, c), StringComparer.OrdinalIgnoreCase))
        {
            var from = grantsBefore.TryGetValue(creditId, out var b) ? DescribeGrant(b) : null;
            var to = grantsAfter.TryGetValue(creditId, out var a) ? DescribeGrant(a) : null;
            rows.Add(Row(CreditGrants, creditNames.GetValueOrDefault(creditId, creditId), creditId, from, to, GrantAspects));
        }

        return rows;
    }

    private static readonly IReadOnlyList<string> GrantAspects = ["Amount", "Resets", "Billing", "Rollover"];

    private static DiffRow Row(string section, string name, string key, IReadOnlyDictionary<string, string>? from, IReadOnlyDictionary<string, string>? to, IReadOnlyList<string> names)
    {
        var aspects = names
            .Select(n => new DiffAspect(n, from?.GetValueOrDefault(n), to?.GetValueOrDefault(n)))
            .Where(a => a.Before is not null || a.After is not null)
            .ToList();
        var kind = from is null ? DiffKind.Added : to is null ? DiffKind.Removed : aspects.Any(a => a.IsChanged) ? DiffKind.Changed : DiffKind.Same;
        return new DiffRow(section, name, key, kind, aspects);
    }

    private static Dictionary<string, PlanEntitlementRecord> ByFeature(CatalogSnapshot catalog, string versionId) =>
        (catalog.EntitlementsByVersion.GetValueOrDefault(versionId) ?? [])
            .GroupBy(e => e.FeatureId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>
    /// The plan credit grants that apply to a version: those naming it, and those naming no version (they apply to every
    /// version of the plan) unless the version has its own grant of that credit.
    /// </summary>
    private static Dictionary<string, PlanCreditGrantRecord> Grants(CatalogSnapshot catalog, IReadOnlyList<PlanCreditGrantRecord> planGrants, string versionId)
    {
        var planId = catalog.VersionsById.TryGetValue(versionId, out var version) ? version.PlanId : null;
        var result = new Dictionary<string, PlanCreditGrantRecord>(StringComparer.Ordinal);
        foreach (var grant in planGrants.Where(g => g.PlanId == planId && g.PlanVersionId is null))
        {
            result[grant.CreditId] = grant;
        }

        foreach (var grant in planGrants.Where(g => g.PlanVersionId == versionId))
        {
            result[grant.CreditId] = grant;
        }

        return result;
    }

    private static Dictionary<string, string> DescribeGrant(PlanCreditGrantRecord grant) => new(StringComparer.Ordinal)
    {
        ["Amount"] = EntitlementText.Amount(grant.CreditAmount),
        ["Resets"] = grant.ResetCadence.Replace('_', ' '),
        ["Billing"] = grant.PostpaidEnabled ? "Billed (postpaid)" + (grant.OverdraftLimit is { } limit ? $", overdraft {EntitlementText.Amount(limit)}" : string.Empty) : "Granted",
        ["Rollover"] = grant.RolloverPercentage > 0 ? grant.RolloverPercentage.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "None",
    };

    private static string FeatureName(CatalogSnapshot catalog, string featureId) =>
        catalog.Features.TryGetValue(featureId, out var feature) ? feature.Name : featureId;
}
