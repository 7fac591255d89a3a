using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.WebConsole.CatalogPages;

namespace Tollgate.Server.WebConsole.Pages.Plans;

/// <summary>Plans and add-ons (one tab each), read from the catalog snapshot, and the form that creates one.</summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class IndexModel(RuntimeRegistry runtimes, PlanService plans) : ConsolePageModel
{
    /// <summary><c>add_on</c> for the add-ons tab; plans otherwise.</summary>
    [BindProperty(SupportsGet = true, Name = "type")]
    public string? Type { get; set; }

    /// <summary>The create form.</summary>
    [BindProperty]
    public PlanInput Input { get; set; } = new();

    /// <summary>Whether the add-ons tab is shown.</summary>
    public bool AddOns => Type == "add_on";

    /// <summary>The plans of the tab, with their published version number and how many features it grants.</summary>
    public IReadOnlyList<PlanRow> Rows { get; private set; } = [];

    /// <summary>How many base plans and add-ons there are (for the tabs).</summary>
    public (int Plans, int AddOns) Counts { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Input.Type = AddOns ? "add_on" : "plan";
        await LoadAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        PlanRecord? created = null;
        if (await TryAsync(async () => created = await plans.CreateAsync(Console.Scope, Input.ToRequest(), cancellationToken).ConfigureAwait(false), PlanInput.Fields("Input")).ConfigureAwait(false))
        {
            SetFlash($"{(created!.PlanType == PlanType.AddOn ? "Add-on" : "Plan")} “{created.Name}” created. Add the features it grants.");
            return Redirect($"/console/plans/{created.Id}");
        }

        Type = Input.Type == "add_on" ? "add_on" : null;
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var all = CatalogReads.CatalogPlans(catalog);
        Counts = (all.Count(p => p.PlanType == PlanType.Plan), all.Count(p => p.PlanType == PlanType.AddOn));
        Rows = [.. all.Where(p => p.PlanType == (AddOns ? PlanType.AddOn : PlanType.Plan)).Select(p =>
        {
            var entitlements = CatalogReads.PublishedEntitlements(catalog, p.Id);
            var features = entitlements.Keys.Select(id => catalog.Features.TryGetValue(id, out var f) ? f.Name : null).OfType<string>()
                .Order(StringComparer.OrdinalIgnoreCase).ToList();
            return new PlanRow(p, catalog.PublishedVersionOf(p.Id)?.Version ?? 1, catalog.VersionsByPlan.GetValueOrDefault(p.Id)?.Count ?? 1, features,
                catalog.PlanGroup?.InitialPlanId == p.Id, catalog.PlanGroup?.FallbackPlanId == p.Id);
        })];
    }

    /// <summary>One plan: its published version, how many versions it has, the features that version grants, its plan-group roles.</summary>
    public sealed record PlanRow(PlanRecord Plan, int Version, int Versions, IReadOnlyList<string> Features, bool IsDefault, bool IsFallback);
}
