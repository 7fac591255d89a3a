using System.Globalization;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.PlanMigrations;

/// <summary>A Tollgate node on a database the test made (see <c>SharedDatabase</c>), for restarts, with its migration runner paced.</summary>
public sealed class MigrationNode(StoreKind store, string database, TimeSpan batchPause) : TollgateFactory(store, database)
{
    /// <summary>
    /// The runner's batch: smaller than the default of 500 so that a migration of a couple of thousand companies still
    /// runs in many batches (a cancel, a stop and a take-over fall between batches, not after the last), while the tests
    /// spend their time on batch boundaries rather than on writing tens of thousands of rows.
    /// </summary>
    public const int BatchSize = 100;

    /// <summary>Starts a node whose runner pauses <paramref name="batchPause"/> between batches of <see cref="BatchSize"/> companies.</summary>
    public static async Task<MigrationNode> StartAsync(StoreKind store, string database, TimeSpan batchPause)
    {
        var node = new MigrationNode(store, database, batchPause);
        await node.InitializeAsync();
        return node;
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("Tollgate:PlanMigrations:BatchSize", BatchSize.ToString(CultureInfo.InvariantCulture)),
        new("Tollgate:PlanMigrations:BatchPause", batchPause.ToString("c", CultureInfo.InvariantCulture)),
        new("Tollgate:PlanMigrations:PollInterval", "00:00:00.200"),
    ];
}
