using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.WebConsole.CatalogPages;

namespace Tollgate.Server.WebConsole.Pages.Plans;

/// <summary>
/// The entitlement grid: features × plans (base plans, then add-ons), each cell what the plan's published version
/// grants. With htmx a cell opens an inline form and saving re-renders just that cell; without script each cell links
/// to the entitlement page. Every write goes through <see cref="PlanService"/>.
/// </summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class GridModel(RuntimeRegistry runtimes, EntitlementEditor entitlements) : ConsolePageModel
{
    /// <summary>The add-or-edit form of a cell (htmx posts).</summary>
    [BindProperty]
    public EntitlementInput Input { get; set; } = new();

    /// <summary>The columns.</summary>
    public IReadOnlyList<PlanRecord> Plans { get; private set; } = [];

    /// <summary>The rows.</summary>
    public IReadOnlyList<FeatureRecord> Features { get; private set; } = [];

    /// <summary>Each plan's published (live) version number and its draft's, if it has one.</summary>
    public IReadOnlyDictionary<string, PlanVersionNumbers> Versions { get; private set; } = new Dictionary<string, PlanVersionNumbers>();

    /// <summary>The cells, by plan then feature.</summary>
    public IReadOnlyDictionary<(string Plan, string Feature), GridCell> Cells { get; private set; } = new Dictionary<(string, string), GridCell>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var credits = await CreditNamesAsync(catalog, cancellationToken).ConfigureAwait(false);
        Plans = CatalogReads.CatalogPlans(catalog);
        Features = [.. catalog.Features.Values.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)];
        var canWrite = Console.Can(ConsoleArea.Catalog);
        var traits = CatalogReads.TraitNames(catalog);
        var cells = new Dictionary<(string, string), GridCell>();
        foreach (var plan in Plans)
        {
            var granted = CatalogReads.PublishedEntitlements(catalog, plan.Id);
            foreach (var feature in Features)
            {
                cells[(plan.Id, feature.Id)] = new GridCell(plan, feature, granted.GetValueOrDefault(feature.Id), canWrite, traits, credits);
            }
        }

        Cells = cells;
        Versions = Plans.ToDictionary(
            p => p.Id,
            p => new PlanVersionNumbers(
                catalog.PublishedVersionOf(p.Id)?.Version ?? 1,
                catalog.VersionsByPlan.GetValueOrDefault(p.Id)?.FirstOrDefault(v => v.Status == PlanVersionStatus.Draft)?.Version));
    }

    /// <summary>A cell as shown (Cancel).</summary>
    public async Task<IActionResult> OnGetCellAsync(string plan, string feature, CancellationToken cancellationToken) =>
        await CellAsync(plan, feature, justSaved: false, cancellationToken).ConfigureAwait(false) is { } cell ? Partial("_GridCell", cell) : NotFound();

    /// <summary>A cell's inline form.</summary>
    public async Task<IActionResult> OnGetEditAsync(string plan, string feature, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Features.TryGetValue(feature, out var featureRecord) || !catalog.Plans.ContainsKey(plan))
        {
            return NotFound();
        }

        Input = EntitlementEditor.Start(catalog, plan, featureRecord);
        return await EditorAsync(plan, feature, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostSaveAsync(string plan, string feature, CancellationToken cancellationToken)
    {
        if (await TryAsync(() => entitlements.SaveAsync(Console, plan, feature, Input, cancellationToken), EntitlementInput.Fields).ConfigureAwait(false))
        {
            return await SavedAsync(plan, feature, cancellationToken).ConfigureAwait(false);
        }

        // htmx swaps only 2xx answers: the form with its errors comes back as 200 to an htmx request (422 otherwise).
        if (IsHtmx)
        {
            Response.StatusCode = StatusCodes.Status200OK;
        }

        return await EditorAsync(plan, feature, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostRemoveAsync(string plan, string feature, CancellationToken cancellationToken)
    {
        if (await TryAsync(() => entitlements.RemoveAsync(Console, plan, feature, cancellationToken)).ConfigureAwait(false))
        {
            return await SavedAsync(plan, feature, cancellationToken).ConfigureAwait(false);
        }

        if (IsHtmx)
        {
            Response.StatusCode = StatusCodes.Status200OK;
        }

        return await EditorAsync(plan, feature, cancellationToken).ConfigureAwait(false);
    }

    private bool IsHtmx => Request.Headers.ContainsKey("HX-Request");

    private async Task<IActionResult> SavedAsync(string plan, string feature, CancellationToken cancellationToken)
    {
        if (!IsHtmx)
        {
            SetFlash("Entitlement saved. Companies on the plan get it at once.");
            return LocalRedirect($"/console/plans/grid#cell-{plan}-{feature}");
        }

        return await CellAsync(plan, feature, justSaved: true, cancellationToken).ConfigureAwait(false) is { } cell ? Partial("_GridCell", cell) : NotFound();
    }

    private async Task<IActionResult> EditorAsync(string plan, string feature, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (await CellAsync(plan, feature, justSaved: false, cancellationToken).ConfigureAwait(false) is not { } cell)
        {
            return NotFound();
        }

        var (traits, credits) = await entitlements.ChoicesAsync(Console, catalog, cancellationToken).ConfigureAwait(false);
        return Partial("_GridEditor", new GridEditor(cell, new EntitlementForm(Input, cell.Feature, [], traits, credits, $"g-{plan}-{feature}")));
    }

    private async Task<GridCell?> CellAsync(string plan, string feature, bool justSaved, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Plans.TryGetValue(plan, out var planRecord) || !catalog.Features.TryGetValue(feature, out var featureRecord))
        {
            return null;
        }

        var credits = await CreditNamesAsync(catalog, cancellationToken).ConfigureAwait(false);
        return new GridCell(planRecord, featureRecord, EntitlementEditor.Existing(catalog, plan, feature), Console.Can(ConsoleArea.Catalog), CatalogReads.TraitNames(catalog), credits)
        {
            JustSaved = justSaved,
        };
    }

    private async Task<Func<string, string>> CreditNamesAsync(CatalogSnapshot catalog, CancellationToken cancellationToken)
    {
        var (_, credits) = await entitlements.ChoicesAsync(Console, catalog, cancellationToken).ConfigureAwait(false);
        return id => credits.FirstOrDefault(c => c.Id == id)?.Name ?? id;
    }
}
