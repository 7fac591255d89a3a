using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Components;

/// <summary>
/// Issues and authenticates temporary access tokens (<c>temporary_access_tokens</c>): the credential a customer's
/// backend mints with its secret key for one company, and hands to the browser, where Schematic's components send it as
/// <c>X-Schematic-Api-Key</c>. Only a SHA-256 of each token is stored (<see cref="ApiKeySecrets.Hash"/>); a token
/// expires <see cref="ComponentOptions.TokenLifetime"/> after it is issued, on the injected clock.
/// </summary>
/// <remarks>
/// Tokens never change once issued, so a token read once is held in memory until it expires: a warm component request
/// touches no database to authenticate. Unknown tokens are not held (a flood of random tokens cannot grow the cache).
/// </remarks>
public sealed class TemporaryAccessTokens(Database database, EntityKeys keys, IOptions<ComponentOptions> options, TimeProvider time)
{
    /// <summary>
    /// The prefix of every token's text; <see cref="IsToken"/> tells tokens from API keys by it. Schematic's own tokens
    /// start so, and its <c>SchematicEmbed</c> refuses any token that does not.
    /// </summary>
    public const string Prefix = "token_";

    /// <summary>The prefix of token ids.</summary>
    public const string IdPrefix = "tat";

    // Past this many held tokens, issuing sweeps out the expired ones.
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, ComponentPrincipal> _byHash = new(StringComparer.Ordinal);

    /// <summary>Whether a key's text is a temporary access token rather than an API key.</summary>
    public static bool IsToken(string key) => key.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Issues a token for the company the request's lookup names; 404 when no company has those keys.</summary>
    public async Task<TemporaryAccessTokenResponse> IssueAsync(RequestScope scope, TemporaryAccessTokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        if (request.ResourceType is not null && request.ResourceType != "company")
        {
            Errors.BadRequest("resource_type", "must be \"company\"");
        }

        var lookup = CompanyService.CheckKeys(request.Lookup, "lookup");
        var companyId = await keys.FindAsync(scope.EnvironmentId, EntityKeys.Company, lookup, cancellationToken).ConfigureAwait(false);
        if (companyId is null)
        {
            Errors.NotFound("company");
        }

        var token = Prefix + Ids.Secret(32);
        var id = Ids.New(IdPrefix);
        var now = time.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        var environmentId = scope.EnvironmentId;
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                """
                INSERT INTO temporary_access_tokens (id, environment_id, company_id, api_key_id, token_hash, created_at, expires_at)
                VALUES (@id, @environmentId, @companyId, @apiKeyId, @hash, @createdAt, @expiresAt)
                """,
                new
                {
                    id,
                    environmentId,
                    companyId,
                    apiKeyId = scope.ApiKeyId,
                    hash = ApiKeySecrets.Hash(token),
                    createdAt = now.ToUnixTimeMilliseconds(),
                    expiresAt = expires.ToUnixTimeMilliseconds(),
                },
                transaction),
            cancellationToken).ConfigureAwait(false);
        return new TemporaryAccessTokenResponse(id, scope.ApiKeyId, environmentId, "api_key", "company", companyId, token, now, now, expires);
    }

    /// <summary>The principal of a token, or null when the token is unknown or has expired.</summary>
    public async ValueTask<ComponentPrincipal?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var hash = ApiKeySecrets.Hash(token);
        var now = time.GetUtcNow();
        if (!_byHash.TryGetValue(hash, out var principal))
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(
                new CommandDefinition(
                    """
                    SELECT t.id, t.environment_id, t.company_id, t.expires_at FROM temporary_access_tokens t
                    JOIN environments e ON e.id = t.environment_id WHERE t.token_hash = @hash AND e.deleted_at IS NULL
                    """,
                    new { hash },
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            principal = new ComponentPrincipal(row.id, row.environment_id, row.company_id, DateTimeOffset.FromUnixTimeMilliseconds(row.expires_at));
            if (principal.ExpiresAt > now)
            {
                Hold(hash, principal, now);
            }
        }

        if (principal.ExpiresAt <= now)
        {
            _byHash.TryRemove(hash, out _);
            return null;
        }

        return principal;
    }

    private void Hold(string hash, ComponentPrincipal principal, DateTimeOffset now)
    {
        if (_byHash.Count > SweepAbove)
        {
            foreach (var entry in _byHash)
            {
                if (entry.Value.ExpiresAt <= now)
                {
                    _byHash.TryRemove(entry.Key, out _);
                }
            }
        }

        _byHash[hash] = principal;
    }

#pragma warning disable IDE1006, SA1300 // Dapper maps columns to these names.
    private sealed record TokenRow(string id, string environment_id, string company_id, long expires_at);
#pragma warning restore IDE1006, SA1300
}
