using System.Data.Common;
using Dapper;

namespace Tollgate.Server.Storage;

/// <summary>
/// The links of <see cref="ILinkedResource"/> documents, one row per (document, linked id), kept by
/// <see cref="ResourceStore"/> in the transaction that writes or deletes the document, so they always equal what the
/// stored documents say. Migration 20 filled them for the documents stored before.
/// </summary>
internal static class ResourceLinks
{
    /// <summary>Replaces the links of one document with <paramref name="linkedIds"/> (none when it is deleted).</summary>
    /// <remarks>
    /// Most writes of a company or user leave its links as they were (a trait or name changes), so the stored links are
    /// read first and only the difference is written: a read instead of a delete and re-insert of every row, which on
    /// PostgreSQL also left dead rows behind on every write.
    /// </remarks>
    public static async Task ReplaceAsync(
        DbConnection connection, DbTransaction transaction, string environmentId, string kind, string id, IReadOnlyCollection<string> linkedIds)
    {
        if (linkedIds.Count == 0)
        {
            await connection.ExecuteAsync(
                "DELETE FROM resource_links WHERE environment_id = @environmentId AND kind = @kind AND id = @id",
                new { environmentId, kind, id },
                transaction).ConfigureAwait(false);
            return;
        }

        var stored = (await connection.QueryAsync<string>(
            "SELECT linked_id FROM resource_links WHERE environment_id = @environmentId AND kind = @kind AND id = @id",
            new { environmentId, kind, id },
            transaction).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var wanted = linkedIds.ToHashSet(StringComparer.Ordinal);
        foreach (var linkedId in stored.Where(l => !wanted.Contains(l)))
        {
            await connection.ExecuteAsync(
                "DELETE FROM resource_links WHERE environment_id = @environmentId AND kind = @kind AND id = @id AND linked_id = @linkedId",
                new { environmentId, kind, id, linkedId },
                transaction).ConfigureAwait(false);
        }

        foreach (var linkedId in wanted.Where(l => !stored.Contains(l)))
        {
            await connection.ExecuteAsync(
                "INSERT INTO resource_links (environment_id, kind, id, linked_id) VALUES (@environmentId, @kind, @id, @linkedId)",
                new { environmentId, kind, id, linkedId },
                transaction).ConfigureAwait(false);
        }
    }
}
