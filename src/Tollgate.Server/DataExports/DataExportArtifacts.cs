using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.DataExports;

/// <summary>
/// An export's artifact, kept in the database (so every node can serve it) as numbered chunks of at most
/// <see cref="ChunkBytes"/>: written one chunk per transaction as the rows are produced, read back one chunk at a
/// time, so neither side holds the whole file in memory.
/// </summary>
internal static class DataExportArtifacts
{
    public const int ChunkBytes = 256 * 1024;

    public static Task DeleteAsync(Database database, string environmentId, string exportId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "DELETE FROM data_export_chunks WHERE environment_id = @environmentId AND export_id = @exportId", new { environmentId, exportId }, transaction),
            cancellationToken);

    public static Task AppendAsync(Database database, string environmentId, string exportId, int seq, byte[] body, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "INSERT INTO data_export_chunks (environment_id, export_id, seq, body) VALUES (@environmentId, @exportId, @seq, @body)",
                new { environmentId, exportId, seq, body },
                transaction),
            cancellationToken);

    public static async Task CopyToAsync(Database database, string environmentId, string exportId, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var count = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(
                "SELECT COUNT(*) FROM data_export_chunks WHERE environment_id = @environmentId AND export_id = @exportId", new { environmentId, exportId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        for (var seq = 0; seq < count; seq++)
        {
            var body = await connection.QuerySingleAsync<byte[]>(
                new CommandDefinition(
                    "SELECT body FROM data_export_chunks WHERE environment_id = @environmentId AND export_id = @exportId AND seq = @seq", new { environmentId, exportId, seq },
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
            await destination.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }
}
