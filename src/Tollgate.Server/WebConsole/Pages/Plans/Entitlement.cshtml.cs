using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.WebConsole.CatalogPages;

namespace Tollgate.Server.WebConsole.Pages.Plans;

/// <summary>
/// What one plan grants of one feature, as a page of its own: the grid's cell editor without script, and the plan and
/// feature pages' "edit" and "add to" links. Saving creates or updates the published version's entitlement, which is
/// live at once; with <c>?version=</c> naming the plan's draft it edits the draft instead, live only once published.
/// </summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class EntitlementModel(RuntimeRegistry runtimes, EntitlementEditor entitlements) : ConsolePageModel
{
    /// <summary>The plan id from the route.</summary>
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    /// <summary>The feature id from the route.</summary>
    [BindProperty(SupportsGet = true)]
    public string FeatureId { get; set; } = string.Empty;

    /// <summary>Where to go back to (the grid or the plan page).</summary>
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    /// <summary>The draft version edited, or null for the published (live) one.</summary>
    [BindProperty(SupportsGet = true, Name = "version")]
    public string? VersionId { get; set; }

    /// <summary>The version edited: the draft named, or the published one.</summary>
    public PlanVersionRecord? Version { get; private set; }

    /// <summary>Whether the page edits a draft rather than the live version.</summary>
    public bool IsDraft => Version?.Status == PlanVersionStatus.Draft;

    /// <summary>The form.</summary>
    [BindProperty]
    public EntitlementInput Input { get; set; } = new();

    /// <summary>The plan.</summary>
    public PlanRecord Plan { get; private set; } = null!;

    /// <summary>The feature.</summary>
    public FeatureRecord Feature { get; private set; } = null!;

    /// <summary>The entitlement as stored, if the plan grants the feature.</summary>
    public PlanEntitlementRecord? Existing { get; private set; }

    /// <summary>The form with its choices.</summary>
    public EntitlementForm Form { get; private set; } = null!;

    /// <summary>The page to return to after saving.</summary>
    public string BackLink => From switch
    {
        "grid" => $"/console/plans/grid#cell-{Id}-{FeatureId}",
        "versions" => $"/console/plans/{Id}/versions#draft",
        _ => $"/console/plans/{Id}",
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(fill: true, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await TryAsync(() => entitlements.SaveAsync(Console, Id, FeatureId, Input, cancellationToken, VersionId), EntitlementInput.Fields).ConfigureAwait(false))
        {
            SetFlash(VersionId is null
                ? "Entitlement saved. Companies on the plan’s live version get it at once."
                : "Draft saved. Nothing changes for companies until you publish the draft.");
            return LocalRedirect(BackLink);
        }

        return await LoadAsync(fill: false, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken)
    {
        if (await TryAsync(() => entitlements.RemoveAsync(Console, Id, FeatureId, cancellationToken, VersionId)).ConfigureAwait(false))
        {
            SetFlash("Entitlement removed.");
            return LocalRedirect(BackLink);
        }

        return await LoadAsync(fill: false, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(bool fill, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Plans.TryGetValue(Id, out var plan) || !catalog.Features.TryGetValue(FeatureId, out var feature))
        {
            return false;
        }

        // Only the plan's own draft may be named: the published version is the default, and archived ones are kept as they were.
        Version = VersionId is null ? catalog.PublishedVersionOf(Id) : catalog.VersionsById.GetValueOrDefault(VersionId);
        if (VersionId is not null && (Version is null || Version.PlanId != Id || Version.Status != PlanVersionStatus.Draft))
        {
            return false;
        }

        Plan = plan;
        Feature = feature;
        Existing = EntitlementEditor.Existing(catalog, Id, FeatureId, VersionId);
        if (fill)
        {
            Input = EntitlementEditor.Start(catalog, Id, feature, VersionId);
        }

        var (traits, credits) = await entitlements.ChoicesAsync(Console, catalog, cancellationToken).ConfigureAwait(false);
        Form = new EntitlementForm(Input, feature, [], traits, credits, "ent");
        return true;
    }
}
