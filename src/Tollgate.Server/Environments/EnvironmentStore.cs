using System.Collections.Concurrent;
using Dapper;
using Tollgate.Server.Audit;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Environments;

/// <summary>
/// Environments and their API keys. Authentication looks keys up in memory by hash; the cache is filled from the
/// store on a miss, so a warm request reads no database. Key writes publish an <see cref="ChangeKind.ApiKey"/> change
/// that every node's cache applies (a revoked key stops working everywhere as soon as the change arrives), and as a
/// backstop against a change that never arrives an entry is read again after <see cref="KeyCacheFor"/>.
/// </summary>
internal sealed partial class EnvironmentStore
{
    /// <summary>The audit log's resource type of API keys.</summary>
    public const string ApiKeyResource = "api_key";

    /// <summary>How long a node trusts a key it read before reading it again, whatever the change feed says.</summary>
    public static readonly TimeSpan KeyCacheFor = TimeSpan.FromSeconds(10);

    private const string KeyColumns = "id, environment_id, kind, name, key_hint, created_at, revoked_at, description, updated_at";
    private const string EnvironmentColumns = "id, name, environment_type, created_at, updated_at";

    private readonly ConcurrentDictionary<string, CachedScope> _scopeByHash = new(StringComparer.Ordinal);
    private readonly Database _database;
    private readonly AuditLog _audit;
    private readonly ChangeFeed _changes;
    private readonly TimeProvider _time;

    // Counts applied key changes: a read that raced one does not cache what it read before it.
    private long _keyChanges;

    public EnvironmentStore(Database database, AuditLog audit, ChangeFeed changes, TimeProvider time)
    {
        (_database, _audit, _changes, _time) = (database, audit, changes, time);
        changes.Subscribe(ApplyAsync);
    }

    /// <summary>Every environment not deleted, oldest first.</summary>
    public async Task<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<EnvironmentRow>(
            new CommandDefinition($"SELECT {EnvironmentColumns} FROM environments WHERE deleted_at IS NULL ORDER BY created_at, id", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Creates an environment; answers 409 if the name is taken.</summary>
    public async Task<EnvironmentRecord> CreateEnvironmentAsync(string name, CancellationToken cancellationToken, string environmentType = EnvironmentTypes.Development)
    {
        var now = _time.GetUtcNow();
        var record = new EnvironmentRecord(Ids.New("env"), name, environmentType, now, now);
        await _database.WriteAsync(
            async (connection, transaction) =>
            {
                var taken = await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM environments WHERE name = @name", new { name }, transaction).ConfigureAwait(false);
                if (taken > 0)
                {
                    Errors.Conflict("name", $"an environment named '{name}' already exists");
                }

                return await connection.ExecuteAsync(
                    "INSERT INTO environments (id, name, environment_type, created_at, updated_at) VALUES (@Id, @Name, @EnvironmentType, @at, @at)",
                    new { record.Id, record.Name, record.EnvironmentType, at = record.CreatedAt.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>
    /// Creates a key; the key text is returned once and never stored. The audit log records the key (masked) and
    /// <paramref name="actor"/>, the request that made it (none at start-up).
    /// </summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateKeyAsync(
        string environmentId, ApiKeyKind kind, string name, string? presetKey, RequestScope? actor, CancellationToken cancellationToken, string? description = null)
    {
        var key = presetKey ?? ApiKeySecrets.NewKey(kind);
        var record = new ApiKeyRecord(Ids.New("key"), environmentId, kind, name, ApiKeySecrets.Hint(key), _time.GetUtcNow(), null) { Description = description };
        await _database.WriteAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO api_keys (id, environment_id, kind, name, key_hash, key_hint, created_at, description, updated_at)
                    VALUES (@Id, @EnvironmentId, @kind, @Name, @hash, @KeyHint, @at, @Description, @at)
                    """,
                    new
                    {
                        record.Id,
                        record.EnvironmentId,
                        kind = KindName(kind),
                        record.Name,
                        hash = ApiKeySecrets.Hash(key),
                        record.KeyHint,
                        record.Description,
                        at = record.CreatedAt.ToUnixTimeMilliseconds(),
                    },
                    transaction).ConfigureAwait(false);
                await _audit.RecordAsync(connection, transaction, actor, environmentId, "create", ApiKeyResource, record.Id, null, null, record).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        await _changes.PublishAsync(Change.Of(environmentId, ChangeKind.ApiKey, record.Id)).ConfigureAwait(false);
        return (record, key);
    }

    /// <summary>The keys of an environment, masked.</summary>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<KeyRow>(
            new CommandDefinition(
                $"SELECT {KeyColumns} FROM api_keys WHERE environment_id = @environmentId ORDER BY created_at, id",
                new { environmentId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Revokes a key of the environment (recorded in the audit log); false if there is no such live key.</summary>
    public async Task<bool> RevokeKeyAsync(string environmentId, string keyId, RequestScope? actor, CancellationToken cancellationToken)
    {
        var revoked = await _database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(
                    $"SELECT {KeyColumns} FROM api_keys WHERE id = @keyId AND environment_id = @environmentId AND revoked_at IS NULL",
                    new { keyId, environmentId },
                    transaction).ConfigureAwait(false);
                if (row is null)
                {
                    return false;
                }

                // Re-checked by the update: of two concurrent revocations only one changes the row and is recorded.
                var now = _time.GetUtcNow();
                var changed = await connection.ExecuteAsync(
                    "UPDATE api_keys SET revoked_at = @at WHERE id = @keyId AND environment_id = @environmentId AND revoked_at IS NULL",
                    new { keyId, environmentId, at = now.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                if (changed == 0)
                {
                    return false;
                }

                var before = row.ToRecord();
                await _audit.RecordAsync(connection, transaction, actor, environmentId, "delete", ApiKeyResource, keyId, null, before, before with { RevokedAt = now })
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (revoked)
        {
            // Revocation takes effect on the next request, here (delivered before this returns) and on the other nodes.
            await _changes.PublishAsync(Change.Of(environmentId, ChangeKind.ApiKey, keyId)).ConfigureAwait(false);
        }

        return revoked;
    }

    /// <summary>How many keys are held in the authentication cache (for metrics).</summary>
    public int CachedKeyCount => _scopeByHash.Count;

    /// <summary>The scope a key grants, or null for an unknown or revoked key.</summary>
    public async ValueTask<RequestScope?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        var hash = ApiKeySecrets.Hash(key);
        var now = _time.GetUtcNow();
        if (_scopeByHash.TryGetValue(hash, out var cached) && now - cached.ReadAt < KeyCacheFor)
        {
            return cached.Scope;
        }

        var keyChangesBefore = Interlocked.Read(ref _keyChanges);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(
            new CommandDefinition(
                $"SELECT {KeyColumns} FROM api_keys WHERE key_hash = @hash",
                new { hash },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        var scope = row is null || row.revoked_at is not null ? null : new RequestScope(row.environment_id, row.id, ParseKind(row.kind));
        // Unknown keys are not cached, so a flood of random keys cannot grow the cache.
        if (scope is not null && Interlocked.Read(ref _keyChanges) == keyChangesBefore)
        {
            _scopeByHash[hash] = new CachedScope(scope, now);
        }
        else
        {
            _scopeByHash.TryRemove(hash, out _);
        }

        return scope;
    }

    /// <summary>Keys created or revoked (here or on another node), or notices missed: their cached scopes are forgotten.</summary>
    private Task ApplyAsync(Change change, CancellationToken cancellationToken)
    {
        if (change.Kind is ChangeKind.ApiKey or ChangeKind.Everything)
        {
            Interlocked.Increment(ref _keyChanges);
            foreach (var entry in _scopeByHash)
            {
                var scope = entry.Value.Scope;
                if (change.Kind == ChangeKind.Everything
                    ? change.ResetsEnvironment(scope.EnvironmentId)
                    : scope.EnvironmentId == change.EnvironmentId && change.Ids.Contains(scope.ApiKeyId))
                {
                    _scopeByHash.TryRemove(entry);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The key with this text, revoked or not (masked); null when there is none.</summary>
    public async Task<ApiKeyRecord?> FindKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(
            new CommandDefinition(
                $"SELECT {KeyColumns} FROM api_keys WHERE key_hash = @hash",
                new { hash = ApiKeySecrets.Hash(key) },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    private static string KindName(ApiKeyKind kind) => kind == ApiKeyKind.Secret ? "secret" : "publishable";

    private static ApiKeyKind ParseKind(string kind) => kind == "secret" ? ApiKeyKind.Secret : ApiKeyKind.Publishable;

    private sealed record CachedScope(RequestScope Scope, DateTimeOffset ReadAt);

#pragma warning disable IDE1006, SA1300 // Dapper maps columns to these snake_case names.
    private sealed record KeyRow(
        string id, string environment_id, string kind, string name, string key_hint, long created_at, long? revoked_at, string? description, long? updated_at)
    {
        public ApiKeyRecord ToRecord() => new(
            id,
            environment_id,
            ParseKind(kind),
            name,
            key_hint,
            DateTimeOffset.FromUnixTimeMilliseconds(created_at),
            revoked_at is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null)
        {
            Description = description,
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(updated_at ?? created_at),
        };
    }

    // Rows written before migration 16 have no update time: their creation time stands for it.
    private sealed record EnvironmentRow(string id, string name, string environment_type, long created_at, long? updated_at)
    {
        public EnvironmentRecord ToRecord() => new(
            id, name, environment_type, DateTimeOffset.FromUnixTimeMilliseconds(created_at), DateTimeOffset.FromUnixTimeMilliseconds(updated_at ?? created_at));
    }
#pragma warning restore IDE1006, SA1300
}
