using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.WebConsole.CatalogPages;

namespace Tollgate.Server.WebConsole.Pages.Plans;

/// <summary>One plan or add-on: what its published version grants (add, edit, remove), its name and description, delete.</summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class DetailModel(RuntimeRegistry runtimes, PlanService plans, EntitlementEditor entitlements) : ConsolePageModel
{
    /// <summary>The plan id from the route.</summary>
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    /// <summary>The plan form.</summary>
    [BindProperty]
    public PlanInput PlanForm { get; set; } = new();

    /// <summary>The add-an-entitlement form.</summary>
    [BindProperty]
    public EntitlementInput Input { get; set; } = new();

    /// <summary>The plan.</summary>
    public PlanRecord Plan { get; private set; } = null!;

    /// <summary>Its published version's number and how many versions it has.</summary>
    public (int Published, int Count) Versions { get; private set; }

    /// <summary>What the published version grants, by feature name.</summary>
    public IReadOnlyList<(FeatureRecord Feature, PlanEntitlementRecord Entitlement)> Entitlements { get; private set; } = [];

    /// <summary>The add form with its choices.</summary>
    public EntitlementForm AddForm { get; private set; } = null!;

    /// <summary>A trait's name by id.</summary>
    public Func<string, string> TraitName { get; private set; } = id => id;

    /// <summary>A credit type's name by id.</summary>
    public Func<string, string> CreditName { get; private set; } = id => id;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        PlanForm = PlanInput.From(Plan);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (await TryAsync(() => plans.UpdateAsync(Console.Scope, Id, PlanForm.ToRequest(), cancellationToken), PlanInput.Fields(nameof(PlanForm))).ConfigureAwait(false))
        {
            SetFlash("Plan saved.");
            return Redirect($"/console/plans/{Id}");
        }

        return await ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        var deleted = false;
        if (await TryAsync(async () => deleted = await plans.DeleteAsync(Console.Scope, Id, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false))
        {
            SetFlash(deleted ? "Plan deleted, with its versions and entitlements." : "The plan was already deleted.", deleted ? "ok" : "info");
            return Redirect("/console/plans");
        }

        return await ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Input.FeatureId))
        {
            ModelState.AddModelError("Input.FeatureId", "Choose the feature the plan grants.");
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await ReloadAsync(cancellationToken).ConfigureAwait(false);
        }

        if (await TryAsync(() => entitlements.SaveAsync(Console, Id, Input.FeatureId, Input, cancellationToken), EntitlementInput.Fields).ConfigureAwait(false))
        {
            SetFlash("Entitlement added. Companies on the plan get it at once.");
            return Redirect($"/console/plans/{Id}");
        }

        return await ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostRemoveAsync(string featureId, CancellationToken cancellationToken)
    {
        if (await TryAsync(() => entitlements.RemoveAsync(Console, Id, featureId, cancellationToken)).ConfigureAwait(false))
        {
            SetFlash("Entitlement removed.");
            return Redirect($"/console/plans/{Id}");
        }

        return await ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IActionResult> ReloadAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Plans.TryGetValue(Id, out var plan))
        {
            return false;
        }

        Plan = plan;
        var versions = catalog.VersionsByPlan.GetValueOrDefault(Id) ?? [];
        Versions = (catalog.PublishedVersionOf(Id)?.Version ?? 1, Math.Max(1, versions.Count));
        var granted = CatalogReads.PublishedEntitlements(catalog, Id);
        Entitlements = [.. granted.Values.Where(e => catalog.Features.ContainsKey(e.FeatureId))
            .Select(e => (catalog.Features[e.FeatureId], e)).OrderBy(p => p.Item1.Name, StringComparer.OrdinalIgnoreCase)];
        var (traits, credits) = await entitlements.ChoicesAsync(Console, catalog, cancellationToken).ConfigureAwait(false);
        TraitName = CatalogReads.TraitNames(catalog);
        CreditName = id => credits.FirstOrDefault(c => c.Id == id)?.Name ?? id;
        var choosable = catalog.Features.Values.Where(f => !granted.ContainsKey(f.Id)).OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToList();
        AddForm = new EntitlementForm(Input, null, choosable, traits, credits, "add");
        return true;
    }
}
