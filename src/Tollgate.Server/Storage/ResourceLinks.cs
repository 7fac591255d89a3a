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
    public static async Task ReplaceAsync(
        DbConnection connection, DbTransaction transaction, string environmentId, string kind, string id, IReadOnlyCollection<string> linkedIds)
    {
        await connection.ExecuteAsync(
            "DELETE FROM resource_links WHERE environment_id = @environmentId AND kind = @kind AND id = @id",
            new { environmentId, kind, id },
            transaction).ConfigureAwait(false);
        foreach (var linkedId in linkedIds.Distinct(StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(
                "INSERT INTO resource_links (environment_id, kind, id, linked_id) VALUES (@environmentId, @kind, @id, @linkedId)",
                new { environmentId, kind, id, linkedId },
                transaction).ConfigureAwait(false);
        }
    }
}
