using Dapper;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Environments;

/// <summary>Reading, renaming and deleting environments; reading, describing and counting keys.</summary>
internal sealed partial class EnvironmentStore
{
    /// <summary>The audit log's resource type of environments.</summary>
    public const string EnvironmentResource = "environment";

    /// <summary>The live environment with this id, or null.</summary>
    public async Task<EnvironmentRecord?> GetEnvironmentAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<EnvironmentRow>(
            new CommandDefinition(
                $"SELECT {EnvironmentColumns} FROM environments WHERE id = @environmentId AND deleted_at IS NULL",
                new { environmentId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    /// <summary>Renames or retypes a live environment (404 if there is none; 409 if the new name is taken).</summary>
    public async Task<EnvironmentRecord> UpdateEnvironmentAsync(
        RequestScope actor, string environmentId, string? name, string? environmentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await _database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await connection.QuerySingleOrDefaultAsync<EnvironmentRow>(
                    $"SELECT {EnvironmentColumns} FROM environments WHERE id = @environmentId AND deleted_at IS NULL",
                    new { environmentId },
                    transaction).ConfigureAwait(false) ?? throw new RequestException(StatusCodes.Status404NotFound, "environment not found");
                var before = row.ToRecord();
                var after = before with { Name = name ?? before.Name, EnvironmentType = environmentType ?? before.EnvironmentType, UpdatedAt = _time.GetUtcNow() };
                if (after.Name != before.Name && await connection.ExecuteScalarAsync<long>(
                        "SELECT COUNT(*) FROM environments WHERE name = @Name", new { after.Name }, transaction).ConfigureAwait(false) > 0)
                {
                    Errors.Conflict("name", $"an environment named '{after.Name}' already exists");
                }

                await connection.ExecuteAsync(
                    "UPDATE environments SET name = @Name, environment_type = @EnvironmentType, updated_at = @at WHERE id = @Id",
                    new { after.Name, after.EnvironmentType, at = after.UpdatedAt.ToUnixTimeMilliseconds(), after.Id },
                    transaction).ConfigureAwait(false);
                await _audit.RecordAsync(connection, transaction, actor, actor.EnvironmentId, "update", EnvironmentResource, environmentId, null, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes an environment softly: it leaves every listing, its keys are revoked (so nothing can read or write its
    /// data any more) and its name is freed, but its data stay in the store — a deletion can be undone by hand, and no
    /// other area's tables are touched. The environment of the key making the request cannot be deleted (that would
    /// lock the caller out mid-request), nor can the last one. False when there is no such live environment.
    /// </summary>
    public async Task<bool> DeleteEnvironmentAsync(RequestScope actor, string environmentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (environmentId == actor.EnvironmentId)
        {
            Errors.Conflict("environment_id", "the environment of the API key making this request cannot be deleted; use a key of another environment");
        }

        var revokedKeys = await _database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await connection.QuerySingleOrDefaultAsync<EnvironmentRow>(
                    $"SELECT {EnvironmentColumns} FROM environments WHERE id = @environmentId AND deleted_at IS NULL",
                    new { environmentId },
                    transaction).ConfigureAwait(false);
                if (row is null)
                {
                    return null;
                }

                if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM environments WHERE deleted_at IS NULL", transaction: transaction).ConfigureAwait(false) <= 1)
                {
                    Errors.Conflict("environment_id", "the last environment cannot be deleted");
                }

                var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
                var keys = (await connection.QueryAsync<string>(
                    "SELECT id FROM api_keys WHERE environment_id = @environmentId AND revoked_at IS NULL", new { environmentId }, transaction).ConfigureAwait(false)).ToList();
                await connection.ExecuteAsync(
                    "UPDATE api_keys SET revoked_at = @now WHERE environment_id = @environmentId AND revoked_at IS NULL", new { environmentId, now }, transaction).ConfigureAwait(false);
                // Names are unique among all rows; the deleted one keeps its name with its id appended, so the name is free again.
                var changed = await connection.ExecuteAsync(
                    "UPDATE environments SET deleted_at = @now, updated_at = @now, name = @name WHERE id = @environmentId AND deleted_at IS NULL",
                    new { environmentId, now, name = $"{row.name} (deleted {environmentId})" },
                    transaction).ConfigureAwait(false);
                if (changed == 0)
                {
                    return null;
                }

                await _audit.RecordAsync<EnvironmentRecord>(connection, transaction, actor, actor.EnvironmentId, "delete", EnvironmentResource, environmentId, null, row.ToRecord(), null)
                    .ConfigureAwait(false);
                return keys;
            },
            cancellationToken).ConfigureAwait(false);
        if (revokedKeys is null)
        {
            return false;
        }

        if (revokedKeys.Count > 0)
        {
            await _changes.PublishAsync(new Change(environmentId, ChangeKind.ApiKey, revokedKeys)).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>A key of the environment (masked), revoked or not; null when there is none.</summary>
    public async Task<ApiKeyRecord?> GetKeyAsync(string environmentId, string keyId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(
            new CommandDefinition(
                $"SELECT {KeyColumns} FROM api_keys WHERE id = @keyId AND environment_id = @environmentId",
                new { keyId, environmentId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    /// <summary>How many keys the environment has, revoked ones included (as listed).</summary>
    public async Task<long> CountKeysAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            new CommandDefinition("SELECT COUNT(*) FROM api_keys WHERE environment_id = @environmentId", new { environmentId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes a key's name or description (audited). Its text, kind and scope never change: a key's power is fixed
    /// when it is made, and its text is never shown again. 404 when the environment has no such key.
    /// </summary>
    public async Task<ApiKeyRecord> UpdateKeyAsync(RequestScope actor, string keyId, string? name, string? description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await _database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(
                    $"SELECT {KeyColumns} FROM api_keys WHERE id = @keyId AND environment_id = @EnvironmentId",
                    new { keyId, actor.EnvironmentId },
                    transaction).ConfigureAwait(false) ?? throw new RequestException(StatusCodes.Status404NotFound, "API key not found");
                var before = row.ToRecord();
                var after = before with { Name = name ?? before.Name, Description = description ?? before.Description, UpdatedAt = _time.GetUtcNow() };
                await connection.ExecuteAsync(
                    "UPDATE api_keys SET name = @Name, description = @Description, updated_at = @at WHERE id = @Id",
                    new { after.Name, after.Description, at = after.UpdatedAt.ToUnixTimeMilliseconds(), after.Id },
                    transaction).ConfigureAwait(false);
                await _audit.RecordAsync(connection, transaction, actor, actor.EnvironmentId, "update", ApiKeyResource, keyId, null, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
