using Microsoft.AspNetCore.Mvc;
using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.WebConsole.CatalogPages;

namespace Tollgate.Server.WebConsole.Pages.Features;

/// <summary>One feature: its flag, the plans that grant it (and those that do not), edit and delete.</summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class DetailModel(RuntimeRegistry runtimes, FeatureService features) : ConsolePageModel, IFeatureForm
{
    /// <summary>The feature id from the route.</summary>
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    /// <summary>The edit form.</summary>
    [BindProperty]
    public FeatureInput Input { get; set; } = new();

    /// <summary>The feature.</summary>
    public FeatureRecord Feature { get; private set; } = null!;

    /// <summary>Its flag.</summary>
    public FlagRecord? Flag { get; private set; }

    /// <summary>Company traits.</summary>
    public IReadOnlyList<TraitDefinitionRecord> Traits { get; private set; } = [];

    /// <summary>Never: this page edits.</summary>
    public bool IsNew => false;

    /// <summary>Catalog plans with what their published version grants of this feature (null: nothing).</summary>
    public IReadOnlyList<(PlanRecord Plan, PlanEntitlementRecord? Entitlement)> Plans { get; private set; } = [];

    /// <summary>A trait's name by id.</summary>
    public Func<string, string> TraitName { get; private set; } = id => id;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        Input = FeatureInput.From(Feature, Flag);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (await TryAsync(() => features.UpdateAsync(Console.Scope, Id, Input.ToRequest(withKey: false), cancellationToken), FeatureInput.Fields).ConfigureAwait(false))
        {
            SetFlash("Feature saved.");
            return Redirect($"/console/features/{Id}");
        }

        return await LoadAsync(cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        var deleted = false;
        if (await TryAsync(async () => deleted = await features.DeleteAsync(Console.Scope, Id, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false))
        {
            SetFlash(deleted ? "Feature deleted, with its flag and the plan entitlements that granted it." : "The feature was already deleted.", deleted ? "ok" : "info");
            return Redirect("/console/features");
        }

        return await LoadAsync(cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Features.TryGetValue(Id, out var feature))
        {
            return false;
        }

        Feature = feature;
        Flag = catalog.FlagOf(Id);
        Traits = [.. catalog.TraitsById.Values.Where(t => t.EntityType == EntityType.Company).OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
        TraitName = CatalogReads.TraitNames(catalog);
        Plans = [.. CatalogReads.CatalogPlans(catalog).Select(p => (p, CatalogReads.PublishedEntitlements(catalog, p.Id).GetValueOrDefault(Id)))];
        return true;
    }
}
