using System.Globalization;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.PlanMigrations;

/// <summary>A Tollgate node on a database the test made (see <c>SharedDatabase</c>), for restarts, with its migration runner paced.</summary>
public sealed class MigrationNode(StoreKind store, string database, TimeSpan batchPause) : TollgateFactory(store, database)
{
    /// <summary>Starts a node whose runner pauses <paramref name="batchPause"/> between batches of 500 companies.</summary>
    public static async Task<MigrationNode> StartAsync(StoreKind store, string database, TimeSpan batchPause)
    {
        var node = new MigrationNode(store, database, batchPause);
        await node.InitializeAsync();
        return node;
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("Tollgate:PlanMigrations:BatchSize", "500"),
        new("Tollgate:PlanMigrations:BatchPause", batchPause.ToString("c", CultureInfo.InvariantCulture)),
        new("Tollgate:PlanMigrations:PollInterval", "00:00:00.200"),
    ];
}
