using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Evaluation;
using Tollgate.Server.PlanMigrations;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Migrations;

/// <summary>
/// One migration: its progress (refreshed every two seconds by htmx while it runs), its companies, and cancel and retry
/// through <see cref="PlanMigrationService"/>, as the API's <c>/plan-version-migrations/{id}/cancel</c> and <c>/retry</c>.
/// </summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class DetailModel(PlanMigrationService migrations, PlanMigrationStore store, RuntimeRegistry runtimes) : ConsolePageModel
{
    /// <summary>The most company rows listed.</summary>
    public const int RowLimit = 50;

    private static readonly RetryMigrationRequest EveryFailure = new([.. PlanMigrationValues.ErrorCodes]);

    /// <summary>The migration.</summary>
    public PlanMigrationResponse Migration { get; private set; } = null!;

    /// <summary>The catalog, for names.</summary>
    public CatalogSnapshot Catalog { get; private set; } = null!;

    /// <summary>Its companies (the first <see cref="RowLimit"/> in the filter).</summary>
    public IReadOnlyList<CompanyMigrationRow> Rows { get; private set; } = [];

    /// <summary>The company status filter (null: all).</summary>
    public string? RowStatus { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? status, CancellationToken cancellationToken) =>
        await LoadAsync(id, status, rows: true, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

    /// <summary>The progress block alone, for htmx polling.</summary>
    public async Task<IActionResult> OnGetProgressAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, null, rows: false, cancellationToken).ConfigureAwait(false) ? Partial("_MigrationProgress", this) : NotFound();

    public Task<IActionResult> OnPostCancelAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(id, () => migrations.CancelAsync(Console.Scope, id, cancellationToken), "Migration cancelled. Companies not yet moved keep their version.", cancellationToken);

    /// <summary>
    /// Tries every failed company again, whatever its error (the button says "Retry N failed"). The service asks for the
    /// error codes to retry, as the API does; without them it refused the console's retry with 400.
    /// </summary>
    public Task<IActionResult> OnPostRetryAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(id, () => migrations.RetryAsync(Console.Scope, id, EveryFailure, cancellationToken), "Failed companies are being tried again.", cancellationToken);

    private async Task<IActionResult> WriteAsync(string id, Func<Task> write, string done, CancellationToken cancellationToken)
    {
        if (await TryAsync(write).ConfigureAwait(false))
        {
            SetFlash(done);
            return RedirectToPage(new { id });
        }

        return await LoadAsync(id, null, rows: true, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string id, string? status, bool rows, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(Console.Scope.EnvironmentId, id, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return false;
        }

        Migration = (await migrations.DescribeAsync(Console.Scope.EnvironmentId, [record], cancellationToken).ConfigureAwait(false))[0];
        Catalog = await runtimes.For(Console.Scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (rows)
        {
            RowStatus = status is not null && PlanMigrationValues.CompanyStatuses.Contains(status) ? status : null;
            Rows = await store.ListRowsAsync(Console.Scope.EnvironmentId, new CompanyRowFilter(id, RowStatus, null), RowLimit, 0, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
