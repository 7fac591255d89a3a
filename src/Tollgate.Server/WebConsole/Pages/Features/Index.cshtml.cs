using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.WebConsole.CatalogPages;

namespace Tollgate.Server.WebConsole.Pages.Features;

/// <summary>The features list: search by name, key or description, filter by type, pages of 25, read from the catalog snapshot.</summary>
internal sealed class IndexModel(RuntimeRegistry runtimes) : ConsolePageModel
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 25;

    /// <summary>The search text.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    /// <summary>The type filter: <c>boolean</c>, <c>event</c>, <c>trait</c> or empty.</summary>
    [BindProperty(SupportsGet = true, Name = "type")]
    public string? Type { get; set; }

    /// <summary>The page number, from 1.</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The features on this page.</summary>
    public IReadOnlyList<FeatureRow> Rows { get; private set; } = [];

    /// <summary>How many features match.</summary>
    public int Total { get; private set; }

    /// <summary>How many features the environment has.</summary>
    public int All { get; private set; }

    /// <summary>The number of pages.</summary>
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var q = Q?.Trim();
        var type = EntitlementText.FeatureTypes.Any(t => t.Value == Type) ? Type : null;
        Type = type;
        var matching = catalog.Features.Values
            .Select(f => new FeatureRow(f, catalog.FlagOf(f.Id), PlanCount(catalog, f.Id)))
            .Where(r => type is null || EntitlementText.FeatureTypeName(r.Feature.FeatureType) == type)
            .Where(r => string.IsNullOrEmpty(q)
                || r.Feature.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
                || (r.Flag?.Key.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)
                || (r.Feature.Description?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)
                || (r.Feature.EventSubtype?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(r => r.Feature.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        All = catalog.Features.Count;
        Total = matching.Count;
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Rows = [.. matching.Skip((PageNumber - 1) * PageSize).Take(PageSize)];
    }

    /// <summary>This list's URL with another page or type (the search is kept).</summary>
    public string Link(string? type, int page)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            parts.Add("q=" + Uri.EscapeDataString(Q.Trim()));
        }

        if (type is not null)
        {
            parts.Add("type=" + type);
        }

        if (page > 1)
        {
            parts.Add("p=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? "/console/features" : "/console/features?" + string.Join('&', parts);
    }

    private static int PlanCount(Evaluation.CatalogSnapshot catalog, string featureId) =>
        (catalog.EntitlementsByFeature.GetValueOrDefault(featureId) ?? [])
            .Where(e => catalog.PublishedVersionOf(e.PlanId)?.Id == catalog.VersionIdOf(e))
            .Select(e => e.PlanId).Distinct(StringComparer.Ordinal).Count();

    /// <summary>One row: the feature, its flag and how many plans grant it.</summary>
    public sealed record FeatureRow(FeatureRecord Feature, FlagRecord? Flag, int Plans);
}
