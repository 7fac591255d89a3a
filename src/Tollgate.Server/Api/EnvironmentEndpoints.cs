using Tollgate.Server.Environments;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// Environments and API keys in Schematic's shapes (<c>EnvironmentResponseData</c>, <c>ApiKeyResponseData</c>), and
/// <c>/whoami</c>. Secret keys only, like every management endpoint. Environments are the installation's (every secret
/// key sees them all, as Schematic's account does); keys are confined to the caller's environment.
/// </summary>
internal static class EnvironmentEndpoints
{
    /// <summary>The one account of an installation (Schematic's <c>account_id</c>).</summary>
    private const string InstallationAccountId = "acct_tollgate";

    private const string InstallationAccountName = "Tollgate";

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.WithTags("Environments and keys");
        group.MapGet("/environment", async (HttpContext http, EnvironmentStore environments, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await environments.GetEnvironmentAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false))));
        MapEnvironments(group);
        ApiKeyEndpoints.Map(group);
        group.MapGet("/whoami", async (HttpContext http, EnvironmentStore environments, CancellationToken ct) =>
        {
            var scope = http.Scope();
            var all = await environments.ListEnvironmentsAsync(ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(new WhoAmIResponse(InstallationAccountId, InstallationAccountName, "api_key", scope.ApiKeyId ?? string.Empty, scope.EnvironmentId, all, true, null, null, null)));
        }).WithSummary("The installation (Schematic's account), the calling key and its environment, and every environment");

        // Secret keys only, like every endpoint of this group: a publishable key can neither read nor change its policy.
        group.MapGet("/environment/publishable-policy", async (HttpContext http, PublishablePolicies policies, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await policies.GetAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false))))
            .WithSummary("What the environment's publishable keys may do through identify and track");
        group.MapPut("/environment/publishable-policy", async (HttpContext http, PublishablePolicyRequest body, PublishablePolicies policies, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await policies.PutAsync(http.Scope(), body.ToPolicy(), ct).ConfigureAwait(false))))
            .WithSummary("Replace the publishable-key policy; fields left out take their (safe) defaults");
    }

    private static void MapEnvironments(RouteGroupBuilder group)
    {
        group.MapGet("/environments", async (HttpContext http, EnvironmentStore environments, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var ids = query.Many("ids");
            var paging = query.Paging;
            var all = await environments.ListEnvironmentsAsync(ct).ConfigureAwait(false);
            IReadOnlyList<EnvironmentRecord> page = [.. all.Where(e => ids.Count == 0 || ids.Contains(e.Id)).Skip(paging.Offset).Take(paging.Limit)];
            return TypedResults.Ok(new Envelope<IReadOnlyList<EnvironmentRecord>>(page, query.PageParams()));
        });
        group.MapPost("/environments", async (HttpContext http, NewEnvironmentRequest body, EnvironmentStore environments, CancellationToken ct) =>
        {
            var name = Validate.Required(body.Name, "name");
            var type = body.EnvironmentType is null ? EnvironmentTypes.Development : Validate.OneOf(body.EnvironmentType, "environment_type", EnvironmentTypes.All);
            var environment = await environments.CreateEnvironmentAsync(name, ct, type).ConfigureAwait(false);
            var (record, key) = await environments.CreateKeyAsync(environment.Id, ApiKeyKind.Secret, "default", null, http.Scope(), ct).ConfigureAwait(false);
            return TypedResults.Json(Envelope.Of(NewEnvironmentResponse.Of(environment, record, key)), statusCode: StatusCodes.Status201Created);
        }).WithSummary("Create an environment with its first secret key (shown once, in api_key and key)");
        group.MapGet("/environments/{environmentId}", async (string environmentId, EnvironmentStore environments, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await environments.GetEnvironmentAsync(environmentId, ct).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "environment not found"))));
        group.MapPut("/environments/{environmentId}", async (HttpContext http, string environmentId, UpdateEnvironmentRequest body, EnvironmentStore environments, CancellationToken ct) =>
        {
            var name = body.Name is null ? null : Validate.Required(body.Name, "name");
            var type = body.EnvironmentType is null ? null : Validate.OneOf(body.EnvironmentType, "environment_type", EnvironmentTypes.All);
            return TypedResults.Ok(Envelope.Of(await environments.UpdateEnvironmentAsync(http.Scope(), environmentId, name, type, ct).ConfigureAwait(false)));
        });
        group.MapDelete("/environments/{environmentId}", async (HttpContext http, string environmentId, EnvironmentStore environments, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await environments.DeleteEnvironmentAsync(http.Scope(), environmentId, ct).ConfigureAwait(false), "environment"))
            .WithSummary("Delete an environment softly: its keys are revoked, its data kept; not the caller's own, nor the last");
    }

    /// <summary>Body of <c>POST /environments</c>.</summary>
    public sealed record NewEnvironmentRequest(string? Name, string? EnvironmentType);

    /// <summary>Body of <c>PUT /environments/{id}</c>: fields left out keep their value.</summary>
    public sealed record UpdateEnvironmentRequest(string? Name, string? EnvironmentType);

    /// <summary>
    /// A new environment (<c>EnvironmentDetailResponseData</c>, with its one key in <c>api_keys</c>); <c>environment</c>,
    /// <c>api_key</c> and <c>key</c> (the key's text, shown this once) are Tollgate's.
    /// </summary>
    public sealed record NewEnvironmentResponse(
        string Id,
        string Name,
        string EnvironmentType,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        IReadOnlyList<ApiKeyResponse> ApiKeys,
        EnvironmentRecord Environment,
        ApiKeyResponse ApiKey,
        string Key)
    {
        /// <summary>The answer for a new environment and its first key.</summary>
        public static NewEnvironmentResponse Of(EnvironmentRecord environment, ApiKeyRecord record, string key)
        {
            ArgumentNullException.ThrowIfNull(environment);
            var apiKey = ApiKeyResponse.From(record, environment);
            return new(environment.Id, environment.Name, environment.EnvironmentType, environment.CreatedAt, environment.UpdatedAt, [apiKey], environment, apiKey, key);
        }
    }

    /// <summary>
    /// Schematic's <c>WhoAmIResponseData</c>. A Tollgate installation is one account with no members: the caller is always
    /// an API key, so the user fields answer null and onboarding is complete.
    /// </summary>
    public sealed record WhoAmIResponse(
        string AccountId,
        string AccountName,
        string ActorType,
        string ApiKeyId,
        string EnvironmentId,
        IReadOnlyList<EnvironmentRecord> Environments,
        bool OnboardingComplete,
        string? UserId,
        string? UserName,
        string? StripeUserId);
}
