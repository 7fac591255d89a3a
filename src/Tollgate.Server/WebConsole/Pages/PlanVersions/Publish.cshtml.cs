using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Evaluation;
using Tollgate.Server.PlanMigrations;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.WebConsole.Versions;

namespace Tollgate.Server.WebConsole.Pages.PlanVersions;

/// <summary>
/// Publishing a draft: first what it changes and for whom, then the choice the API offers (move existing companies now,
/// at period end, or keep them), then <see cref="PlanVersionService.PublishAsync"/>.
/// </summary>
/// <remarks>
/// The page answers from what is cheap at any size: the entitlement diff (the catalog) and how many companies are on
/// the plan's other versions (the company directory). The dry run (<see cref="PublishDryRun"/>: who would be over a new
/// limit, whose subscription changes, a sample) is a few counts in the store, but several: the page loads it in place
/// (<see cref="OnGetImpactAsync"/>, through htmx) so that the diff shows first.
/// </remarks>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class PublishModel(
    RuntimeRegistry runtimes,
    PlanVersionService versions,
    PublishDryRun dryRun,
    PlanMigrationStore migrations,
    CompanyDirectory directory,
    CreditTypeService creditTypes,
    PlanCreditGrantService planGrants)
    : ConsolePageModel
{
    /// <summary>The plan and its versions.</summary>
    public PlanVersionsView View { get; private set; } = null!;

    /// <summary>The draft to publish.</summary>
    public PlanVersionRecord Draft { get; private set; } = null!;

    /// <summary>The version published now (what the draft replaces).</summary>
    public PlanVersionRecord? Current { get; private set; }

    /// <summary>How many companies are on the plan's other versions (those publishing would move), from the directory.</summary>
    public long MovingCompanies { get; private set; }

    /// <summary>The dry run of the migration publishing creates (only in the <see cref="OnGetImpactAsync"/> partial).</summary>
    public PublishImpact? Impact { get; private set; }

    /// <summary>The entitlement changes from the published version to the draft (changed rows only).</summary>
    public IReadOnlyList<DiffRow> Changes { get; private set; } = [];

    /// <summary>The chosen strategy (<c>immediate</c>, <c>end_of_billing_period</c>, <c>leave</c>).</summary>
    [BindProperty]
    public string Strategy { get; set; } = PlanMigrationValues.Immediate;

    public async Task<IActionResult> OnGetAsync(string id, string versionId, CancellationToken cancellationToken) =>
        await LoadAsync(id, versionId, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

    /// <summary>
    /// The per-company dry run, as the partial the page loads in place. The partial shows the dry run alone, so the
    /// page's own figures (the diff, the companies that would move) are not computed for it.
    /// </summary>
    public async Task<IActionResult> OnGetImpactAsync(string id, string versionId, CancellationToken cancellationToken)
    {
        if (!await FindAsync(id, versionId, cancellationToken).ConfigureAwait(false) || Draft.Status != PlanVersionStatus.Draft)
        {
            return NotFound();
        }

        Impact = await dryRun.RunAsync(Console.Scope, versionId, cancellationToken).ConfigureAwait(false);
        return Partial("_PublishImpact", this);
    }

    public async Task<IActionResult> OnPostAsync(string id, string versionId, CancellationToken cancellationToken)
    {
        PlanVersionResponse? published = null;
        if (await TryAsync(async () => published = await versions.PublishAsync(Console.Scope, versionId, new PublishPlanVersionRequest(Strategy, null), cancellationToken).ConfigureAwait(false), Fields)
            .ConfigureAwait(false))
        {
            var all = await migrations.ListAsync(Console.Scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
            var migration = all.LastOrDefault(m => m.PlanVersionIdTo == versionId);
            SetFlash($"{published!.Name} v{published.Version} is published. {VersionWords.Strategy(Strategy)}.");
            return migration is null || migration.TotalCompanies == 0 ? Redirect($"/console/plans/{id}/versions") : Redirect($"/console/migrations/{migration.Id}");
        }

        return await LoadAsync(id, versionId, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    /// <summary>The plan's versions and the draft (<see cref="View"/>, <see cref="Draft"/>, <see cref="Current"/>); false if either is unknown.</summary>
    private async Task<bool> FindAsync(string id, string versionId, CancellationToken cancellationToken)
    {
        var view = await PlanVersionsLoader.LoadAsync(runtimes, Console.Scope, id, cancellationToken).ConfigureAwait(false);
        if (view?.Find(versionId) is not { } version)
        {
            return false;
        }

        View = view;
        Draft = version;
        Current = view.Published;
        return true;
    }

    /// <summary>What the page shows: the versions (<see cref="FindAsync"/>) and, for a draft, who would move and the diff.</summary>
    private async Task<bool> LoadAsync(string id, string versionId, CancellationToken cancellationToken)
    {
        if (!await FindAsync(id, versionId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (Draft.Status != PlanVersionStatus.Draft)
        {
            return true;
        }

        var perVersion = await directory.CompaniesPerVersionAsync(Console.Scope, id, cancellationToken).ConfigureAwait(false);
        MovingCompanies = perVersion.Where(v => v.Key != versionId).Sum(v => v.Value);
        if (Current is not null)
        {
            var credits = await creditTypes.ListAsync(Console.Scope.EnvironmentId, null, cancellationToken).ConfigureAwait(false);
            var grants = await planGrants.ListAsync(Console.Scope, id, null, cancellationToken).ConfigureAwait(false);
            Changes = [.. VersionComparison.Compare(View.Catalog, Current.Id, versionId, credits, grants).Where(r => r.Kind != DiffKind.Same)];
        }

        return true;
    }

    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["migration_strategy"] = nameof(Strategy),
    };
}
