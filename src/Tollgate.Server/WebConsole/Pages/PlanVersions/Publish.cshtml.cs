using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Credits;
using Tollgate.Server.Evaluation;
using Tollgate.Server.PlanMigrations;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.WebConsole.Versions;

namespace Tollgate.Server.WebConsole.Pages.PlanVersions;

/// <summary>
/// Publishing a draft: first what it changes and for whom (the migration preview of the PlanMigrations area: companies
/// that would move, the entitlements that change for them, who would be over a new limit, samples), then the choice the
/// API offers (move existing companies now, at period end, or keep them), then <see cref="PlanVersionService.PublishAsync"/>.
/// </summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class PublishModel(
    RuntimeRegistry runtimes, PlanVersionService versions, PlanMigrationPreviewer previewer, PlanMigrationStore migrations, CreditTypeService creditTypes, PlanCreditGrantService planGrants)
    : ConsolePageModel
{
    /// <summary>How many sample companies the page lists.</summary>
    public const int Samples = 10;

    /// <summary>The plan and its versions.</summary>
    public PlanVersionsView View { get; private set; } = null!;

    /// <summary>The draft to publish.</summary>
    public PlanVersionRecord Draft { get; private set; } = null!;

    /// <summary>The version published now (what the draft replaces).</summary>
    public PlanVersionRecord? Current { get; private set; }

    /// <summary>The dry run of the migration publishing creates.</summary>
    public MigrationPreviewResponse? Preview { get; private set; }

    /// <summary>The entitlement changes from the published version to the draft (changed rows only).</summary>
    public IReadOnlyList<DiffRow> Changes { get; private set; } = [];

    /// <summary>The chosen strategy (<c>immediate</c>, <c>end_of_billing_period</c>, <c>leave</c>).</summary>
    [BindProperty]
    public string Strategy { get; set; } = PlanMigrationValues.Immediate;

    public async Task<IActionResult> OnGetAsync(string id, string versionId, CancellationToken cancellationToken) =>
        await LoadAsync(id, versionId, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

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

    private async Task<bool> LoadAsync(string id, string versionId, CancellationToken cancellationToken)
    {
        var view = await PlanVersionsLoader.LoadAsync(runtimes, Console.Scope, id, cancellationToken).ConfigureAwait(false);
        if (view?.Find(versionId) is not { } version)
        {
            return false;
        }

        View = view;
        Draft = version;
        Current = view.Published;
        if (version.Status != PlanVersionStatus.Draft)
        {
            return true;
        }

        Preview = await previewer.PreviewPublishAsync(Console.Scope, versionId, cancellationToken).ConfigureAwait(false);
        if (Current is not null)
        {
            var credits = await creditTypes.ListAsync(Console.Scope.EnvironmentId, null, cancellationToken).ConfigureAwait(false);
            var grants = await planGrants.ListAsync(Console.Scope, id, null, cancellationToken).ConfigureAwait(false);
            Changes = [.. VersionComparison.Compare(view.Catalog, Current.Id, versionId, credits, grants).Where(r => r.Kind != DiffKind.Same)];
        }

        return true;
    }

    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["migration_strategy"] = nameof(Strategy),
    };
}
