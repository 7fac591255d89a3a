using Tollgate.Server.Evaluation;
using Tollgate.Server.PlanMigrations;

namespace Tollgate.Server.WebConsole.Pages.Migrations;

/// <summary>Plan version migrations of the environment, newest first, filtered by status.</summary>
internal sealed class IndexModel(PlanMigrationStore store, PlanMigrationService migrations, RuntimeRegistry runtimes) : ConsolePageModel
{
    /// <summary>The most migrations listed.</summary>
    public const int Limit = 100;

    /// <summary>The migrations shown.</summary>
    public IReadOnlyList<PlanMigrationResponse> Migrations { get; private set; } = [];

    /// <summary>The catalog, for plan names and version numbers.</summary>
    public CatalogSnapshot Catalog { get; private set; } = null!;

    /// <summary>The status filter (null: all).</summary>
    public string? Status { get; private set; }

    /// <summary>How many migrations there are in all (before the filter).</summary>
    public int Total { get; private set; }

    public async Task OnGetAsync(string? status, CancellationToken cancellationToken)
    {
        Status = status is not null && PlanMigrationValues.MigrationStatuses.Contains(status) ? status : null;
        Catalog = await runtimes.For(Console.Scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var all = await store.ListAsync(Console.Scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        Total = all.Count;
        var selected = all.Where(m => Status is null || m.Status == Status).Reverse().Take(Limit).ToList();
        Migrations = await migrations.DescribeAsync(Console.Scope.EnvironmentId, selected, cancellationToken).ConfigureAwait(false);
    }
}
