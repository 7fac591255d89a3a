using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.Companies;

namespace Tollgate.Server.WebConsole.Pages.PlanVersions;

/// <summary>A plan's versions: which is published, the draft, companies on each; start a draft, delete it, compare two.</summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class IndexModel(RuntimeRegistry runtimes, CompanyDirectory directory, PlanVersionService versions) : ConsolePageModel
{
    /// <summary>The plan and its versions.</summary>
    public PlanVersionsView View { get; private set; } = null!;

    /// <summary>Companies on each version, by version id.</summary>
    public IReadOnlyDictionary<string, int> Companies { get; private set; } = new Dictionary<string, int>();

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

    public async Task<IActionResult> OnPostDraftAsync(string id, CancellationToken cancellationToken)
    {
        PlanVersionResponse? draft = null;
        if (await TryAsync(async () => draft = await versions.CreateDraftAsync(Console.Scope, id, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false))
        {
            SetFlash($"Draft version {draft!.Version} created with a copy of the live entitlements. Change them below, then review and publish.");
            return RedirectToPage(new { id });
        }

        return await LoadAsync(id, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, string versionId, CancellationToken cancellationToken)
    {
        var deleted = false;
        if (await TryAsync(async () => deleted = await versions.DeleteAsync(Console.Scope, versionId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false))
        {
            SetFlash(deleted ? "Draft deleted." : "That version no longer exists.", deleted ? "ok" : "info");
            return RedirectToPage(new { id });
        }

        return await LoadAsync(id, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var view = await PlanVersionsLoader.LoadAsync(runtimes, Console.Scope, id, cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            return false;
        }

        View = view;
        Companies = (await directory.CompaniesPerVersionAsync(Console.Scope, id, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Key, c => (int)c.Value);
        return true;
    }
}
