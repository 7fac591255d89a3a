using Tollgate.Server.Environments;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// <c>/api-keys</c>: the caller's environment's keys, never with their text (it is shown once, when a key is made).
/// <c>environment_id</c> filters within that environment: naming another one matches no key.
/// </summary>
internal static class ApiKeyEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/api-keys", async (HttpContext http, EnvironmentStore environments, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var (own, environment) = await ScopeAsync(http, query, environments, ct).ConfigureAwait(false);
            IReadOnlyList<ApiKeyResponse> page = own
                ? [.. (await environments.ListKeysAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false)).Skip(paging.Offset).Take(paging.Limit).Select(k => ApiKeyResponse.From(k, environment))]
                : [];
            return TypedResults.Ok(new Envelope<IReadOnlyList<ApiKeyResponse>>(page, query.PageParams()));
        });
        group.MapGet("/api-keys/count", async (HttpContext http, EnvironmentStore environments, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var (own, _) = await ScopeAsync(http, query, environments, ct).ConfigureAwait(false);
            var count = own ? await environments.CountKeysAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false) : 0;
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.PageParams()));
        });
        group.MapPost("/api-keys", async (HttpContext http, NewKeyRequest body, EnvironmentStore environments, CancellationToken ct) =>
        {
            var scope = http.Scope();
            if (body.EnvironmentId is { } environmentId && environmentId != scope.EnvironmentId)
            {
                Errors.BadRequest("environment_id", "keys are made in the environment of the key making the request; use a key of that environment");
            }

            var kind = body.Kind is null
                ? (body.Readonly == true ? ApiKeyKind.Publishable : ApiKeyKind.Secret)
                : Validate.OneOf(body.Kind, "kind", ("secret", ApiKeyKind.Secret), ("publishable", ApiKeyKind.Publishable));
            if (body.Kind is not null && body.Readonly is { } isReadonly && isReadonly != (kind == ApiKeyKind.Publishable))
            {
                Errors.BadRequest("readonly", "contradicts kind: a publishable key is read-only, a secret key is not");
            }

            var (record, key) = await environments.CreateKeyAsync(
                scope.EnvironmentId, kind, Validate.Required(body.Name, "name"), null, scope, ct, Validate.Bounded(body.Description, "description")).ConfigureAwait(false);
            var environment = await environments.GetEnvironmentAsync(scope.EnvironmentId, ct).ConfigureAwait(false);
            return TypedResults.Json(Envelope.Of(NewKeyResponse.Of(ApiKeyResponse.From(record, environment), key)), statusCode: StatusCodes.Status201Created);
        }).WithSummary("Make a key (secret, or publishable with kind or readonly); its text is in secret and key, shown this once");
        group.MapGet("/api-keys/{keyId}", async (HttpContext http, string keyId, EnvironmentStore environments, CancellationToken ct) =>
        {
            var key = await environments.GetKeyAsync(http.Scope().EnvironmentId, keyId, ct).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "API key not found");
            return TypedResults.Ok(Envelope.Of(ApiKeyResponse.From(key, await environments.GetEnvironmentAsync(key.EnvironmentId, ct).ConfigureAwait(false))));
        });
        group.MapPut("/api-keys/{keyId}", async (HttpContext http, string keyId, UpdateKeyRequest body, EnvironmentStore environments, CancellationToken ct) =>
        {
            var name = body.Name is null ? null : Validate.Required(body.Name, "name");
            var key = await environments.UpdateKeyAsync(http.Scope(), keyId, name, Validate.Bounded(body.Description, "description"), ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(ApiKeyResponse.From(key, await environments.GetEnvironmentAsync(key.EnvironmentId, ct).ConfigureAwait(false))));
        }).WithSummary("Rename a key or change its description; its text and power never change");
        group.MapDelete("/api-keys/{keyId}", async (HttpContext http, string keyId, EnvironmentStore environments, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await environments.RevokeKeyAsync(http.Scope().EnvironmentId, keyId, http.Scope(), ct).ConfigureAwait(false), "API key"));
    }

    /// <summary>Whether the request's <c>environment_id</c> (if any) is the caller's, and the caller's environment.</summary>
    private static async Task<(bool Own, EnvironmentRecord? Environment)> ScopeAsync(HttpContext http, ListQuery query, EnvironmentStore environments, CancellationToken cancellationToken)
    {
        var environmentId = http.Scope().EnvironmentId;
        var asked = query.One("environment_id");
        query.Bool("require_environment");
        return (asked is null || asked == environmentId, await environments.GetEnvironmentAsync(environmentId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Body of <c>POST /api-keys</c>: Schematic's (<c>readonly</c> makes a publishable key) or Tollgate's <c>kind</c>.</summary>
    public sealed record NewKeyRequest(string? Name, string? Description, string? EnvironmentId, bool? Readonly, string? Kind, int? RateLimitPercent);

    /// <summary>Body of <c>PUT /api-keys/{id}</c>: fields left out keep their value.</summary>
    public sealed record UpdateKeyRequest(string? Name, string? Description, int? RateLimitPercent);

    /// <summary>
    /// A new key (<c>ApiKeyCreateResponseData</c>): its text in <c>secret</c>, the only time it is shown; <c>api_key</c>
    /// and <c>key</c> repeat it in Tollgate's earlier shape.
    /// </summary>
    public sealed record NewKeyResponse(
        string Id,
        string Name,
        string? Description,
        string EnvironmentId,
        EnvironmentRecord? Environment,
        bool Readonly,
        IReadOnlyList<string> Scopes,
        DateTimeOffset? LastUsedAt,
        int? RateLimitPercent,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        ApiKeyKind Kind,
        string KeyHint,
        string Secret,
        ApiKeyResponse ApiKey,
        string Key)
    {
        /// <summary>The answer for a key just made.</summary>
        public static NewKeyResponse Of(ApiKeyResponse k, string key)
        {
            ArgumentNullException.ThrowIfNull(k);
            return new(k.Id, k.Name, k.Description, k.EnvironmentId, k.Environment, k.Readonly, k.Scopes, k.LastUsedAt, k.RateLimitPercent, k.CreatedAt, k.UpdatedAt, k.Kind, k.KeyHint, key, k, key);
        }
    }
}
