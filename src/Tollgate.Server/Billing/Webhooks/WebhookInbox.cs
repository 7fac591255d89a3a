using Dapper;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Webhooks;

/// <summary>
/// The durable queue of received Stripe events (<c>stripe_webhook_inbox</c>). A delivery is acknowledged only after
/// its row is committed; the primary key (environment, event id) makes a redelivery a no-op. Rows wait as
/// <c>pending</c> until <c>next_attempt_at</c>; a claim pushes that forward by a lease, so work a crashed node had
/// claimed becomes due again by itself.
/// </summary>
internal sealed class WebhookInbox(Database database)
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Ignored = "ignored";
    public const string Failed = "failed";

    private const string Columns = """
        environment_id AS EnvironmentId, event_id AS EventId, event_type AS EventType, object_type AS ObjectType,
        object_id AS ObjectId, event_created AS EventCreated, received_at AS ReceivedAt, status AS Status,
        attempts AS Attempts, next_attempt_at AS NextAttemptAt, last_error AS LastError, processed_at AS ProcessedAt
        """;

    /// <summary>Adds a received event; false when it was already there (a redelivery).</summary>
    public async Task<bool> AddAsync(string environmentId, StripeEventNotice notice, string status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.ToUnixTimeMilliseconds();
        return await database.WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                """
                INSERT INTO stripe_webhook_inbox (environment_id, event_id, event_type, object_type, object_id, event_created, received_at,
                    status, attempts, next_attempt_at, last_error, processed_at)
                VALUES (@environmentId, @Id, @Type, @ObjectType, @ObjectId, @created, @at, @status, 0, @at, NULL, @processedAt)
                ON CONFLICT (environment_id, event_id) DO NOTHING
                """,
                new
                {
                    environmentId,
                    notice.Id,
                    notice.Type,
                    notice.ObjectType,
                    notice.ObjectId,
                    created = notice.Created.ToUnixTimeSeconds(),
                    at,
                    status,
                    processedAt = status == Pending ? (long?)null : at,
                },
                transaction).ConfigureAwait(false) == 1,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Environments with work due now.</summary>
    public async Task<IReadOnlyList<string>> EnvironmentsWithWorkAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<string>(
            "SELECT DISTINCT environment_id FROM stripe_webhook_inbox WHERE status = 'pending' AND next_attempt_at <= @now",
            new { now = now.ToUnixTimeMilliseconds() }).ConfigureAwait(false)];
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due events of an environment, oldest event first, leasing them until
    /// <paramref name="leaseUntil"/>. The caller holds the environment's lock, so no one else claims meanwhile.
    /// </summary>
    public Task<IReadOnlyList<InboxEntry>> ClaimAsync(string environmentId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<InboxEntry>>(
            async (connection, transaction) =>
            {
                var due = (await connection.QueryAsync<InboxEntry>(
                    $"""
                    SELECT {Columns} FROM stripe_webhook_inbox
                    WHERE environment_id = @environmentId AND status = 'pending' AND next_attempt_at <= @now
                    ORDER BY event_created, received_at LIMIT @limit
                    """,
                    new { environmentId, now = now.ToUnixTimeMilliseconds(), limit },
                    transaction).ConfigureAwait(false)).ToList();
                if (due.Count > 0)
                {
                    await connection.ExecuteAsync(
                        "UPDATE stripe_webhook_inbox SET attempts = attempts + 1, next_attempt_at = @lease WHERE environment_id = @environmentId AND event_id = @EventId",
                        due.Select(e => new { environmentId, e.EventId, lease = leaseUntil.ToUnixTimeMilliseconds() }),
                        transaction).ConfigureAwait(false);
                }

                return [.. due.Select(e => e with { Attempts = e.Attempts + 1 })];
            },
            cancellationToken);

    /// <summary>Marks events handled.</summary>
    public Task CompleteAsync(string environmentId, IEnumerable<string> eventIds, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE stripe_webhook_inbox SET status = 'done', processed_at = @at, last_error = NULL WHERE environment_id = @environmentId AND event_id = @eventId",
                eventIds.Select(eventId => new { environmentId, eventId, at = now.ToUnixTimeMilliseconds() }),
                transaction),
            cancellationToken);

    /// <summary>Schedules events again at <paramref name="nextAttempt"/>, or gives them up (<c>failed</c>) when it is null.</summary>
    public Task RetryLaterAsync(string environmentId, IEnumerable<string> eventIds, DateTimeOffset? nextAttempt, string error, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                """
                UPDATE stripe_webhook_inbox SET status = @status, next_attempt_at = @next, last_error = @error
                WHERE environment_id = @environmentId AND event_id = @eventId
                """,
                eventIds.Select(eventId => new
                {
                    environmentId,
                    eventId,
                    status = nextAttempt is null ? Failed : Pending,
                    next = (nextAttempt ?? DateTimeOffset.MaxValue).ToUnixTimeMilliseconds(),
                    error,
                }),
                transaction),
            cancellationToken);

    /// <summary>Puts a given-up or handled event back in the queue, due now; false when there is no such event.</summary>
    public Task<bool> RequeueAsync(string environmentId, string eventId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                """
                UPDATE stripe_webhook_inbox SET status = 'pending', next_attempt_at = @now, attempts = 0
                WHERE environment_id = @environmentId AND event_id = @eventId
                """,
                new { environmentId, eventId, now = now.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false) == 1,
            cancellationToken);

    /// <summary>
    /// Deletes handled and ignored events received before <paramref name="before"/>: Stripe redelivers for at most
    /// three days, so older ids no longer need remembering. Pending and failed events stay until handled.
    /// </summary>
    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "DELETE FROM stripe_webhook_inbox WHERE status IN ('done', 'ignored') AND received_at < @before",
                new { before = before.ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken);

    /// <summary>Received events of an environment, newest first, optionally of one status.</summary>
    public async Task<IReadOnlyList<InboxEntry>> ListAsync(string environmentId, string? status, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<InboxEntry>(
            $"""
            SELECT {Columns} FROM stripe_webhook_inbox
            WHERE environment_id = @environmentId AND (@status IS NULL OR status = @status)
            ORDER BY received_at DESC, event_id LIMIT @limit OFFSET @offset
            """,
            new { environmentId, status, limit, offset }).ConfigureAwait(false)];
    }

    /// <summary>How many events of an environment are in each status, and the newest received and newest failure.</summary>
    public async Task<InboxSummary> SummarizeAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var counts = (await connection.QueryAsync<(string Status, long Count)>(
            "SELECT status, COUNT(*) FROM stripe_webhook_inbox WHERE environment_id = @environmentId GROUP BY status",
            new { environmentId }).ConfigureAwait(false)).ToDictionary(c => c.Status, c => c.Count, StringComparer.Ordinal);
        var newest = await connection.QueryFirstOrDefaultAsync<InboxEntry>(
            $"SELECT {Columns} FROM stripe_webhook_inbox WHERE environment_id = @environmentId ORDER BY received_at DESC LIMIT 1",
            new { environmentId }).ConfigureAwait(false);
        var lastProcessed = await connection.ExecuteScalarAsync<long?>(
            "SELECT MAX(processed_at) FROM stripe_webhook_inbox WHERE environment_id = @environmentId AND status = 'done'",
            new { environmentId }).ConfigureAwait(false);
        var failing = await connection.QueryFirstOrDefaultAsync<InboxEntry>(
            $"""
            SELECT {Columns} FROM stripe_webhook_inbox
            WHERE environment_id = @environmentId AND last_error IS NOT NULL AND status IN ('pending', 'failed')
            ORDER BY received_at DESC LIMIT 1
            """,
            new { environmentId }).ConfigureAwait(false);
        return new InboxSummary(counts, newest, lastProcessed, failing);
    }

    /// <summary>How many received events of every environment wait to be handled (for metrics).</summary>
    public async Task<long> PendingCountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            new CommandDefinition("SELECT COUNT(*) FROM stripe_webhook_inbox WHERE status = 'pending'", cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

/// <summary>One received event as stored.</summary>
internal sealed record InboxEntry
{
    public string EnvironmentId { get; init; } = "";
    public string EventId { get; init; } = "";
    public string EventType { get; init; } = "";
    public string? ObjectType { get; init; }
    public string? ObjectId { get; init; }
    public long EventCreated { get; init; }
    public long ReceivedAt { get; init; }
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public long NextAttemptAt { get; init; }
    public string? LastError { get; init; }
    public long? ProcessedAt { get; init; }
}

/// <summary>Counts per status, the newest event received, when the last one was handled, and the newest failing one.</summary>
internal sealed record InboxSummary(IReadOnlyDictionary<string, long> Counts, InboxEntry? Newest, long? LastProcessedAt, InboxEntry? Failing);
