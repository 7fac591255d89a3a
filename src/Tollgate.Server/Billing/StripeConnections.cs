using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Secrets;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing;

/// <summary>
/// Environments' connections to Stripe: connect (the key is proven against Stripe before it is kept), settings,
/// disconnect, and the live <see cref="StripeConnection"/> every Stripe-facing part works through. The API key and
/// webhook secret are stored encrypted with Data Protection and never answered. A connection read is cached: a connect
/// or disconnect publishes a <see cref="ChangeKind.StripeConnection"/> change that every node's cache applies, and as a
/// backstop an entry is read again after <see cref="CacheFor"/>.
/// </summary>
internal sealed class StripeConnections : IDisposable
{
    /// <summary>How long a node keeps using a connection it read before reading it again, whatever the change feed says.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Database _database;
    private readonly IDataProtector _protector;
    private readonly StripeOptions _options;
    private readonly RuntimeRegistry _runtimes;
    private readonly ChangeFeed _changes;
    private readonly AuditLog _audit;
    private readonly StripeSyncStatus _status;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly Lifecycle.PlanGroupService _planGroups;
    private readonly ConcurrentDictionary<string, (StripeConnection Connection, DateTimeOffset ReadAt)> _cache = new(StringComparer.Ordinal);

    public StripeConnections(
        Database database, IDataProtectionProvider protection, IOptions<TollgateOptions> options, RuntimeRegistry runtimes, ChangeFeed changes, AuditLog audit, StripeSyncStatus status,
        TimeProvider time, Lifecycle.PlanGroupService planGroups)
    {
        _planGroups = planGroups;
        _database = database;
        _protector = SecretProtection.For(protection, "StripeConnection.v1");
        _options = options.Value.Stripe;
        _runtimes = runtimes;
        _changes = changes;
        _audit = audit;
        _status = status;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };
        changes.Subscribe(ApplyAsync);
    }

    /// <summary>Where this server reaches Stripe.</summary>
    public StripeEndpoints Endpoints => _options.ApiBase is { Length: > 0 } apiBase
        ? new StripeEndpoints(apiBase.TrimEnd('/'), (_options.MeterEventsBase is { Length: > 0 } meters ? meters : apiBase).TrimEnd('/'))
        : StripeEndpoints.Production;

    /// <summary>The webhook path of an environment (Stripe's endpoint must post here).</summary>
    public static string WebhookPath(string environmentId) => $"/webhooks/stripe/{environmentId}";

    /// <summary>The environment's connection, or null when it is not connected.</summary>
    public async Task<StripeConnection?> GetAsync(string environmentId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(environmentId, out var cached) && now - cached.ReadAt < CacheFor)
        {
            return cached.Connection;
        }

        var row = await ReadAsync(environmentId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            // Not remembered: the webhook path takes any environment id, and a cache of misses would grow with them.
            _cache.TryRemove(environmentId, out _);
            return null;
        }

        var connection = Open(environmentId, row);
        _cache[environmentId] = (connection, now);
        return connection;
    }

    /// <summary>The environment's connection; 409 when it has none.</summary>
    public async Task<StripeConnection> RequireAsync(string environmentId, CancellationToken cancellationToken) =>
        await GetAsync(environmentId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status409Conflict, "stripe: this environment is not connected to Stripe (PUT /billing/stripe/connection)");

    /// <summary>Environments with a connection (background workers walk them).</summary>
    public async Task<IReadOnlyList<string>> ConnectedEnvironmentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<string>("SELECT environment_id FROM stripe_connections ORDER BY environment_id").ConfigureAwait(false)];
    }

    /// <summary>Connects or reconnects the scope's environment: validates, proves the key against Stripe, stores.</summary>
    public async Task<(StripeConnectionResponse Response, bool FirstConnect)> ConnectAsync(RequestScope scope, ConnectStripeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = await ReadAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var secrets = before is null ? null : Unprotect(before.Secrets);
        var secretKey = request.SecretKey ?? secrets?.SecretKey;
        var webhookSecret = request.WebhookSecret ?? secrets?.WebhookSecret;
        if (!StripeAccount.IsSecretKey(secretKey))
        {
            Errors.BadRequest("secret_key", secretKey is null ? "is required to connect" : "must be a secret (sk_…) or restricted (rk_…) Stripe API key");
        }

        if (webhookSecret is null || !webhookSecret.StartsWith("whsec_", StringComparison.Ordinal) || webhookSecret.Length < 10)
        {
            Errors.BadRequest("webhook_secret", webhookSecret is null ? "is required to connect (the signing secret of the webhook endpoint)" : "must be a webhook signing secret (whsec_…)");
        }

        var settings = await MergeSettingsAsync(scope.EnvironmentId, before is null ? new StripeSettings() : StoredJson.Deserialize<StripeSettings>(before.Settings), request, cancellationToken).ConfigureAwait(false);
        var account = await ProveAsync(secretKey, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var row = new ConnectionRow
        {
            EnvironmentId = scope.EnvironmentId,
            Secrets = _protector.Protect(StoredJson.Serialize(new StoredSecrets(secretKey, webhookSecret))),
            Settings = StoredJson.Serialize(settings),
            AccountId = account.Id,
            AccountName = account.Name,
            ConnectedAt = before?.ConnectedAt ?? now.ToUnixTimeMilliseconds(),
            UpdatedAt = now.ToUnixTimeMilliseconds(),
        };
        var response = await DescribeAsync(row, secretKey, cancellationToken).ConfigureAwait(false);
        await _database.WriteAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO stripe_connections (environment_id, secrets, settings, account_id, account_name, connected_at, updated_at)
                    VALUES (@EnvironmentId, @Secrets, @Settings, @AccountId, @AccountName, @ConnectedAt, @UpdatedAt)
                    ON CONFLICT (environment_id) DO UPDATE SET secrets = excluded.secrets, settings = excluded.settings,
                        account_id = excluded.account_id, account_name = excluded.account_name, updated_at = excluded.updated_at
                    """,
                    row,
                    transaction).ConfigureAwait(false);
                await _audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", "stripe_connection", scope.EnvironmentId, null, (object?)null, response with { Status = new Dictionary<string, System.Text.Json.JsonElement>() }).ConfigureAwait(false);
                if (request.FallbackPlanId is { } fallback)
                {
                    await _planGroups.SetFallbackAsync(connection, transaction, scope, fallback.Length == 0 ? null : fallback).ConfigureAwait(false);
                }

                return 0;
            },
            cancellationToken).ConfigureAwait(false);
        if (request.FallbackPlanId is not null)
        {
            await _changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Catalog, [])).ConfigureAwait(false);
        }

        await _changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.StripeConnection, [])).ConfigureAwait(false);
        return (response, before is null);
    }

    /// <summary>The scope's connection as the API shows it, or null when not connected.</summary>
    public async Task<StripeConnectionResponse?> DescribeAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        return row is null ? null : await DescribeAsync(row, Unprotect(row.Secrets).SecretKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks Stripe whether the stored key still works.</summary>
    public async Task<StripeCheckResponse> CheckAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        var connection = await RequireAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        try
        {
            var account = await connection.Account.CheckAsync(cancellationToken).ConfigureAwait(false);
            return new StripeCheckResponse(true, account.Id, account.Name, null);
        }
        catch (StripeCallException e)
        {
            return new StripeCheckResponse(false, connection.AccountId, null, Describe(e));
        }
    }

    /// <summary>Forgets the scope's connection (the data imported from Stripe stays). False when there was none.</summary>
    public async Task<bool> DisconnectAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        var deleted = await _database.WriteAsync(
            async (connection, transaction) =>
            {
                var count = await connection.ExecuteAsync("DELETE FROM stripe_connections WHERE environment_id = @id", new { id = scope.EnvironmentId }, transaction).ConfigureAwait(false);
                if (count > 0)
                {
                    await _audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", "stripe_connection", scope.EnvironmentId, null, (object?)null, (object?)null).ConfigureAwait(false);
                }

                return count > 0;
            },
            cancellationToken).ConfigureAwait(false);
        await _changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.StripeConnection, [])).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>A Stripe failure in one line for status documents and error answers.</summary>
    public static string Describe(StripeCallException e) =>
        e.Status is { } status ? $"Stripe answered {(int)status} {e.ErrorType ?? string.Empty}: {e.Message}".Replace("  ", " ", StringComparison.Ordinal) : e.Message;

    public void Dispose() => _http.Dispose();

    /// <summary>A connection made, changed or removed (here or on another node), or notices missed: the cached one is forgotten.</summary>
    private Task ApplyAsync(Change change, CancellationToken cancellationToken)
    {
        if (change.Kind == ChangeKind.StripeConnection)
        {
            _cache.TryRemove(change.EnvironmentId, out _);
        }
        else if (change.Kind == ChangeKind.Everything)
        {
            foreach (var environmentId in _cache.Keys.Where(change.ResetsEnvironment))
            {
                _cache.TryRemove(environmentId, out _);
            }
        }

        return Task.CompletedTask;
    }

    private StripeAccount NewAccount(string secretKey) => new(secretKey, Endpoints, _http, _options.MaxNetworkRetries);

    private StripeConnection Open(string environmentId, ConnectionRow row)
    {
        var secrets = Unprotect(row.Secrets);
        return new StripeConnection(environmentId, NewAccount(secrets.SecretKey), secrets.WebhookSecret, StoredJson.Deserialize<StripeSettings>(row.Settings), row.AccountId);
    }

    private async Task<StripeAccountInfo> ProveAsync(string secretKey, CancellationToken cancellationToken)
    {
        try
        {
            return await NewAccount(secretKey).CheckAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StripeCallException e) when (e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, $"secret_key: Stripe refused the key ({e.Message})");
        }
        catch (StripeCallException e)
        {
            throw new RequestException(StatusCodes.Status502BadGateway, $"stripe: the key could not be checked: {Describe(e)}");
        }
    }

    private async Task<StripeSettings> MergeSettingsAsync(string environmentId, StripeSettings settings, ConnectStripeRequest request, CancellationToken cancellationToken)
    {
        if (request.FallbackPlanId is { } fallback)
        {
            if (fallback.Length > 0)
            {
                var catalog = await _runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
                if (!(catalog.Plans.TryGetValue(fallback, out var plan) && plan.PlanType == PlanType.Plan))
                {
                    Errors.BadRequest("fallback_plan_id", "must name an existing plan (not an add-on)");
                }
            }

        }

        if (request.PastDuePolicy is { } policy)
        {
            settings = settings with
            {
                PastDuePolicy = Validate.OneOf(policy, "past_due_policy", (PastDuePolicies.Keep, PastDuePolicies.Keep), (PastDuePolicies.Fallback, PastDuePolicies.Fallback)),
            };
        }

        if (request.CustomerCompanyKey is { } key)
        {
            settings = settings with { CustomerCompanyKey = Validate.Required(Validate.Bounded(key, "customer_company_key"), "customer_company_key") };
        }

        if (request.SeatsTrait is { } trait)
        {
            settings = settings with { SeatsTrait = trait.Length == 0 ? null : Validate.Bounded(trait, "seats_trait") };
        }

        if (request.PublishableKey is { } publishable)
        {
            if (publishable.Length > 0 && !publishable.StartsWith("pk_", StringComparison.Ordinal))
            {
                Errors.BadRequest("publishable_key", "must be the account's publishable key (pk_…)");
            }

            settings = settings with { PublishableKey = publishable.Length == 0 ? null : Validate.Bounded(publishable, "publishable_key") };
        }

        return settings;
    }

    private async Task<StripeConnectionResponse> DescribeAsync(ConnectionRow row, string secretKey, CancellationToken cancellationToken)
    {
        var path = WebhookPath(row.EnvironmentId);
        return new StripeConnectionResponse(
            row.EnvironmentId,
            row.AccountId,
            row.AccountName,
            Hint(secretKey),
            WebhookSecretSet: true,
            path,
            _options.PublicBaseUrl is { Length: > 0 } publicBase ? publicBase.TrimEnd('/') + path : null,
            StoredJson.Deserialize<StripeSettings>(row.Settings),
            DateTimeOffset.FromUnixTimeMilliseconds(row.ConnectedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt),
            await _status.ReadAllAsync(row.EnvironmentId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The key's kind and last four characters: <c>sk_test_…4242</c>.</summary>
    private static string Hint(string secretKey) =>
        string.Concat(secretKey.AsSpan(0, secretKey.IndexOf('_', 3) + 1), "…", secretKey.AsSpan(Math.Max(secretKey.Length - 4, secretKey.IndexOf('_', 3) + 1)));

    private StoredSecrets Unprotect(string protectedSecrets) => StoredJson.Deserialize<StoredSecrets>(_protector.Unprotect(protectedSecrets));

    private async Task<ConnectionRow?> ReadAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ConnectionRow>(
            """
            SELECT environment_id AS EnvironmentId, secrets AS Secrets, settings AS Settings, account_id AS AccountId,
                   account_name AS AccountName, connected_at AS ConnectedAt, updated_at AS UpdatedAt
            FROM stripe_connections WHERE environment_id = @environmentId
            """,
            new { environmentId }).ConfigureAwait(false);
    }

    private sealed record StoredSecrets(
        [property: JsonPropertyName("secret_key")] string SecretKey,
        [property: JsonPropertyName("webhook_secret")] string WebhookSecret);

    private sealed class ConnectionRow
    {
        public string EnvironmentId { get; init; } = "";
        public string Secrets { get; init; } = "";
        public string Settings { get; init; } = "";
        public string? AccountId { get; init; }
        public string? AccountName { get; init; }
        public long ConnectedAt { get; init; }
        public long UpdatedAt { get; init; }
    }
}
