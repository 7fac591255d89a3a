using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Lifecycle;

/// <summary>Reads the environment's plan group, a <c>plan_group</c> resource found by its fixed key.</summary>
internal static class PlanGroupStore
{
    /// <summary>The kind of the resource.</summary>
    public const string Kind = "plan_group";

    /// <summary>
    /// The plan group as committed, read inside the caller's transaction without holding it: a company created in this
    /// transaction gets the default plan the group names now, not the one a cached catalog remembers.
    /// </summary>
    public static async Task<PlanGroupRecord?> ReadAsync(DbConnection connection, DbTransaction transaction, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var data = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT data FROM resources WHERE environment_id = @environmentId AND kind = @kind AND key = @key",
            new { environmentId, kind = Kind, key = PlanGroupRecord.Key },
            transaction).ConfigureAwait(false);
        return data is null ? null : StoredJson.Deserialize<PlanGroupRecord>(data);
    }

    /// <summary>The plan group, or null when the environment has none yet.</summary>
    public static Task<PlanGroupRecord?> GetAsync(ResourceStore store, string environmentId, CancellationToken cancellationToken) =>
        store.GetByKeyAsync<PlanGroupRecord>(environmentId, Kind, PlanGroupRecord.Key, cancellationToken);
}
