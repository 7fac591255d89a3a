using System.Data.Common;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Tollgate.Server.Operations;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// The idempotency keys of the last 24 hours in <c>idempotency_claims</c>, written in the transaction of the events
/// that use them. On PostgreSQL this is the window of every node (<see cref="ClaimAsync"/>); on both stores it keeps the
/// answer a keyed <c>check-and-track</c> gave, so a retry replays it (<see cref="AnswerAsync"/>).
/// </summary>
internal static class IdempotencyClaims
{
    private const string Savepoint = "idempotency_claim";

    /// <summary>Claims keys nobody has used: fails (unique violation) if any key is in the table already.</summary>
    private const string FreshInsert =
        """
        INSERT INTO idempotency_claims (environment_id, idempotency_key, expires_at, answer)
        SELECT e, k, $3, a FROM unnest($1, $2, $4) AS u (e, k, a)
        """;

    /// <summary>
    /// Claims what it can and answers the positions of the keys it could not claim. unnest keeps the arrays' order, so
    /// the claims are made in the fixed order; the pairs are distinct, so no row is affected twice (which ON CONFLICT DO
    /// UPDATE refuses).
    /// </summary>
    private const string CarefulClaim =
        """
        WITH claimed AS (
            INSERT INTO idempotency_claims (environment_id, idempotency_key, expires_at, answer)
            SELECT e, k, $3, a FROM unnest($1, $2, $4) AS u (e, k, a)
            ON CONFLICT (environment_id, idempotency_key) DO UPDATE SET expires_at = excluded.expires_at, answer = excluded.answer
            WHERE idempotency_claims.expires_at <= $5
            RETURNING environment_id, idempotency_key)
        SELECT CAST(u.i - 1 AS integer) FROM unnest($1, $2) WITH ORDINALITY AS u (e, k, i)
        WHERE NOT EXISTS (SELECT 1 FROM claimed c WHERE c.environment_id = u.e AND c.idempotency_key = u.k)
        """;

    /// <summary>
    /// Claims the keys for this transaction and answers those it could not get: a key another transaction holds within
    /// its window. A key nobody holds, or whose claim expired, is claimed. A key another transaction claimed and has not
    /// committed yet waits for it (the unique index), so two nodes never both get one key. Keys are claimed in a fixed
    /// order, so two transactions claiming overlapping keys cannot deadlock. <paramref name="keys"/> are distinct
    /// (environment, key) pairs, each with the answer to keep (null for plain events).
    /// </summary>
    /// <remarks>
    /// <para>Usually every key is fresh, so the keys are first inserted plainly, under a savepoint
    /// (<see cref="FreshInsert"/>): a plain insert costs PostgreSQL about half of what <c>ON CONFLICT DO UPDATE</c> with
    /// the anti-join costs (speculative insertion, a second WAL record per row, and two sorts of the keys), and nothing
    /// is read back. Only when a key is there already (held, used, or expired but not yet deleted) does the insert fail
    /// as a whole; the transaction then rolls back to the savepoint and claims with <see cref="CarefulClaim"/>, which
    /// answers the positions of the keys it could not claim. Both wait for a key another transaction holds, in the same
    /// order, so the guarantees above hold on either path.</para>
    /// <para><paramref name="first"/>, when given, is sent ahead of the claim in the same round trip (the commit's
    /// <see cref="EventLogWatermark.HoldCommand"/>), before the savepoint, so a fallback keeps what it took; it must
    /// answer at most one result set. It runs even when there is no key to claim.</para>
    /// <para><paramref name="profile"/> (the writer's debug profile), when given, gets the phases <c>keys</c> (ordering
    /// and arrays, in this process) and <c>claim</c> (the round trip).</para>
    /// </remarks>
    public static async Task<HashSet<(string EnvironmentId, string Key)>> ClaimAsync(
        NpgsqlConnection connection, IReadOnlyList<(string EnvironmentId, string Key, string? Answer)> keys, long now, NpgsqlBatchCommand? first = null,
        PhaseProfile? profile = null)
    {
        var taken = new HashSet<(string, string)>();
        await using var batch = new NpgsqlBatch(connection);
        if (first is not null)
        {
            batch.BatchCommands.Add(first);
        }

        if (keys.Count == 0)
        {
            if (first is not null)
            {
                await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            return taken;
        }

        var ordered = keys.OrderBy(k => k.EnvironmentId, StringComparer.Ordinal).ThenBy(k => k.Key, StringComparer.Ordinal).ToList();
        var environments = ordered.Select(k => k.EnvironmentId).ToArray();
        var names = ordered.Select(k => k.Key).ToArray();
        var answers = ordered.Select(k => k.Answer).ToArray();
        var expiresAt = now + (long)IdempotencyWindow.Length.TotalMilliseconds;
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SAVEPOINT {Savepoint}"));
        batch.BatchCommands.Add(ClaimCommand(FreshInsert, environments, names, answers, expiresAt, now: null));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"RELEASE SAVEPOINT {Savepoint}"));
        profile.MarkIfProfiling("keys");
        try
        {
            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            profile.MarkIfProfiling("claim");
            return taken;
        }
        catch (PostgresException used) when (used.SqlState == PostgresErrorCodes.UniqueViolation && used.TableName == "idempotency_claims")
        {
            // A key was there already: nothing of the insert is kept; claim again, key by key.
        }

        await using var careful = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"ROLLBACK TO SAVEPOINT {Savepoint}"),
                ClaimCommand(CarefulClaim, environments, names, answers, expiresAt, now),
            },
        };
        await using var reader = await careful.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var (environmentId, key, _) = ordered[reader.GetInt32(0)];
            taken.Add((environmentId, key));
        }

        profile.MarkIfProfiling("claim");
        return taken;
    }

    /// <summary>One of the two claim statements; <paramref name="now"/> (which claims have expired) only for <see cref="CarefulClaim"/>.</summary>
    private static NpgsqlBatchCommand ClaimCommand(string sql, string[] environments, string[] keys, string?[] answers, long expiresAt, long? now)
    {
        var command = new NpgsqlBatchCommand(sql)
        {
            Parameters =
            {
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = environments },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = keys },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = expiresAt },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = answers },
            },
        };
        if (now is { } expiredAt)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = expiredAt });
        }

        return command;
    }

    /// <summary>Gives back claims of events that were refused after all, so their retry is not taken for a repeat.</summary>
    public static async Task ReleaseAsync(NpgsqlConnection connection, IReadOnlyList<(string EnvironmentId, string Key)> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            "DELETE FROM idempotency_claims WHERE (environment_id, idempotency_key) IN (SELECT * FROM unnest(@environments, @keys))", connection);
        command.Parameters.Add(new NpgsqlParameter("environments", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.EnvironmentId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.Key).ToArray() });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>SQLite: keeps the answers of keys the in-memory window just took (a key past its window may be re-used).</summary>
    public static async Task KeepAnswersAsync(DbConnection connection, DbTransaction transaction, IEnumerable<(string EnvironmentId, string Key, string Answer)> answers, long now)
    {
        var expiresAt = now + (long)IdempotencyWindow.Length.TotalMilliseconds;
        foreach (var (environmentId, key, answer) in answers)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO idempotency_claims (environment_id, idempotency_key, expires_at, answer) VALUES (@environmentId, @key, @expiresAt, @answer)
                ON CONFLICT (environment_id, idempotency_key) DO UPDATE SET expires_at = excluded.expires_at, answer = excluded.answer
                """,
                new { environmentId, key, expiresAt, answer },
                transaction).ConfigureAwait(false);
        }
    }

    /// <summary>Queues the deletion of the claims that have expired.</summary>
    public static void DeleteExpired(StatementBatch batch, long now) =>
        batch.Add("DELETE FROM idempotency_claims WHERE expires_at <= @now", ("@now", now));

    /// <summary>The answer kept with a key that is still in its window; null when there is none.</summary>
    public static async Task<string?> AnswerAsync(Database database, string environmentId, string key, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(
                "SELECT answer FROM idempotency_claims WHERE environment_id = @environmentId AND idempotency_key = @key AND expires_at > @now",
                new { environmentId, key, now },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
