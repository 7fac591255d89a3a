using System.Globalization;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// The <c>webhook_events</c> table: one row per notice and endpoint, the delivery's state and its last answer. It is
/// both the worker's queue (pending rows by <c>next_attempt_at</c>) and the delivery log <c>/webhook-events</c> lists.
/// </summary>
internal sealed class WebhookEventLog(Database database)
{
    private const string Columns =
        "id AS Id, webhook_id AS WebhookId, request_type AS RequestType, payload AS Payload, status AS Status, attempt_count AS AttemptCount, " +
        "response_code AS ResponseCode, error AS Error, sent_at AS SentAt, created_at AS CreatedAt, updated_at AS UpdatedAt";

    /// <summary>Deliveries of an environment, newest first, optionally of one endpoint or with the given ids.</summary>
    public async Task<IReadOnlyList<WebhookEventRow>> ListAsync(
        string environmentId, string? webhookId, IReadOnlyList<string>? ids, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<WebhookEventRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webhook_events WHERE {Where(webhookId, ids)} ORDER BY seq DESC LIMIT @limit OFFSET @offset",
            new { environmentId, webhookId, ids = ids?.ToArray(), limit, offset },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    public async Task<long> CountAsync(string environmentId, string? webhookId, IReadOnlyList<string>? ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM webhook_events WHERE {Where(webhookId, ids)}",
            new { environmentId, webhookId, ids = ids?.ToArray() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<WebhookEventRow?> GetAsync(string environmentId, string id, CancellationToken cancellationToken) =>
        (await ListAsync(environmentId, null, [id], 1, 0, cancellationToken).ConfigureAwait(false)) is [var row, ..] ? row : null;

    /// <summary>The endpoints with a delivery due at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<string>> DueWebhooksAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT webhook_id FROM webhook_events WHERE status = 'pending' AND next_attempt_at <= @now",
            new { now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. ids];
    }

    /// <summary>An endpoint's deliveries due at <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<WebhookEventRow>> DueAsync(string webhookId, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<WebhookEventRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webhook_events WHERE webhook_id = @webhookId AND status = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at, seq LIMIT @limit",
            new { webhookId, now = now.ToUnixTimeMilliseconds(), limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>Records an attempt: its answer, the next attempt (null when none is left) and the delivery's status.</summary>
    public async Task RecordAttemptAsync(
        string id, string status, int? responseCode, string? error, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_events SET status = @status, attempt_count = attempt_count + 1, response_code = @responseCode, error = @error,
                next_attempt_at = COALESCE(@nextAttemptAt, next_attempt_at), sent_at = @now, updated_at = @now
            WHERE id = @id
            """,
            new { id, status, responseCode, error, nextAttemptAt = nextAttemptAt?.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Adds a sentence to a delivery's error (why the endpoint was disabled).</summary>
    public async Task AppendErrorAsync(string id, string sentence, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_events SET error = COALESCE(error || ' ', '') || @sentence WHERE id = @id", new { id, sentence }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>A manual retry: the delivery is due now again, with a fresh set of attempts left after this one.</summary>
    public async Task<bool> RetryAsync(string environmentId, string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_events SET status = 'pending', next_attempt_at = @now, updated_at = @now WHERE environment_id = @environmentId AND id = @id",
            new { environmentId, id, now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    private string Where(string? webhookId, IReadOnlyList<string>? ids) =>
        "environment_id = @environmentId"
        + (webhookId is null ? string.Empty : " AND webhook_id = @webhookId")
        + (ids is { Count: > 0 } ? " AND " + database.Dialect.IsAnyOf("id", "ids") : string.Empty);
}

/// <summary>A row of <c>webhook_events</c>.</summary>
internal sealed class WebhookEventRow
{
    public string Id { get; init; } = string.Empty;

    public string WebhookId { get; init; } = string.Empty;

    public string RequestType { get; init; } = string.Empty;

    public string Payload { get; init; } = string.Empty;

    public string Status { get; init; } = string.Empty;

    public long AttemptCount { get; init; }

    public long? ResponseCode { get; init; }

    public string? Error { get; init; }

    public long? SentAt { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }

    public WebhookEventResponse ToResponse(WebhookRecord? webhook) => new(
        Id, WebhookId, RequestType, Payload, Status, (int)AttemptCount, ResponseCode is { } code ? (int)code : null, Error,
        SentAt is { } sent ? DateTimeOffset.FromUnixTimeMilliseconds(sent) : null,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt),
        webhook is null ? null : WebhookResponse.From(webhook));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id} {RequestType} {Status} x{AttemptCount}");
}
