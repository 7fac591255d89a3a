using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Credits;
using Tollgate.Server.Evaluation;
using Tollgate.Server.WebConsole.Versions;

namespace Tollgate.Server.WebConsole.Pages.PlanVersions;

/// <summary>Two versions of a plan compared: entitlements and credit grants added, removed and changed, aspect by aspect.</summary>
internal sealed class DiffModel(RuntimeRegistry runtimes, CreditTypeService creditTypes, PlanCreditGrantService planGrants) : ConsolePageModel
{
    /// <summary>The plan and its versions.</summary>
    public PlanVersionsView View { get; private set; } = null!;

    /// <summary>The older side.</summary>
    public PlanVersionRecord From { get; private set; } = null!;

    /// <summary>The newer side.</summary>
    public PlanVersionRecord To { get; private set; } = null!;

    /// <summary>Every compared row (unchanged ones included).</summary>
    public IReadOnlyList<DiffRow> Rows { get; private set; } = [];

    /// <summary>Whether unchanged rows are shown too.</summary>
    [BindProperty(SupportsGet = true, Name = "all")]
    public bool ShowAll { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, string? from, string? to, CancellationToken cancellationToken)
    {
        var view = await PlanVersionsLoader.LoadAsync(runtimes, Console.Scope, id, cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            return NotFound();
        }

        View = view;
        var versions = view.Versions;
        var older = from is null ? (versions.Count > 1 ? versions[^2] : versions[0]) : view.Find(from);
        var newer = to is null ? versions[^1] : view.Find(to);
        if (older is null || newer is null)
        {
            return NotFound();
        }

        (From, To) = older.Version <= newer.Version ? (older, newer) : (newer, older);
        var credits = await creditTypes.ListAsync(Console.Scope.EnvironmentId, null, cancellationToken).ConfigureAwait(false);
        var grants = await planGrants.ListAsync(Console.Scope, id, null, cancellationToken).ConfigureAwait(false);
        Rows = VersionComparison.Compare(view.Catalog, From.Id, To.Id, credits, grants);
        return Page();
    }

    /// <summary>How many rows are of <paramref name="kind"/>.</summary>
    public int Count(DiffKind kind) => Rows.Count(r => r.Kind == kind);
}
