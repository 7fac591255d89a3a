using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.WebConsole.Pages.Flags;

/// <summary>Every flag of the environment, searchable by key or name, a page at a time, from the catalog snapshot checks use.</summary>
internal sealed class IndexModel(RuntimeRegistry runtimes) : ConsolePageModel
{
    /// <summary>Flags per page.</summary>
    public const int PageSize = 25;

    /// <summary>The search text (key or name, any part, any case).</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>The page shown, from 1.</summary>
    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The flags of this page.</summary>
    public IReadOnlyList<FlagRow> Rows { get; private set; } = [];

    /// <summary>How many flags match the search.</summary>
    public int Total { get; private set; }

    /// <summary>How many flags the environment has.</summary>
    public int AllFlags { get; private set; }

    /// <summary>The number of pages.</summary>
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var query = Query?.Trim() ?? string.Empty;
        var matching = catalog.FlagsInOrder
            .Where(f => query.Length == 0 || f.Key.Contains(query, StringComparison.OrdinalIgnoreCase) || f.Name.Contains(query, StringComparison.OrdinalIgnoreCase))
            .ToList();
        AllFlags = catalog.FlagsInOrder.Count;
        Total = matching.Count;
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Rows = [.. matching.Skip((PageNumber - 1) * PageSize).Take(PageSize).Select(f => FlagRow.Of(f, catalog))];
    }

    /// <summary>One flag in the list.</summary>
    public sealed record FlagRow(string Id, string Key, string Name, bool DefaultValue, string? FeatureName, string? FeatureType, int OwnRules, int PlanGrants, DateTimeOffset UpdatedAt)
    {
        internal static FlagRow Of(FlagRecord flag, CatalogSnapshot catalog)
        {
            var feature = flag.FeatureId is { } id ? catalog.Features.GetValueOrDefault(id) : null;
            var grants = feature is not null && catalog.EntitlementsByFeature.TryGetValue(feature.Id, out var entitlements) ? entitlements.Count : 0;
            return new FlagRow(flag.Id, flag.Key, flag.Name, flag.DefaultValue, feature?.Name, feature is null ? null : FlagText.FeatureType(feature.FeatureType), flag.Rules.Count, grants, flag.UpdatedAt);
        }
    }
}
