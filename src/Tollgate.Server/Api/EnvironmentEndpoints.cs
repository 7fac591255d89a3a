using Tollgate.Server.Environments;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>The caller's environment and its API keys; new environments.</summary>
internal static class EnvironmentEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.WithTags("Environments and keys");
        group.MapGet("/environment", async (HttpContext http, EnvironmentStore environments, CancellationToken ct) =>
        {
            var all = await environments.ListEnvironmentsAsync(ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(all.Single(e => e.Id == http.Scope().EnvironmentId)));
        });
        group.MapPost("/environments", async (HttpContext http, NewEnvironmentRequest body, EnvironmentStore environments, CancellationToken ct) =>
        {
            var name = Validate.Required(body.Name, "name");
            var environment = await environments.CreateEnvironmentAsync(name, ct).ConfigureAwait(false);
            var (record, key) = await environments.CreateKeyAsync(environment.Id, ApiKeyKind.Secret, "default", null, http.Scope(), ct).ConfigureAwait(false);
            return TypedResults.Json(Envelope.Of(new NewEnvironmentResponse(environment, record, key)), statusCode: StatusCodes.Status201Created);
        });
        group.MapGet("/api-keys", async (HttpContext http, EnvironmentStore environments, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await environments.ListKeysAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false))));
        group.MapPost("/api-keys", async (HttpContext http, NewKeyRequest body, EnvironmentStore environments, CancellationToken ct) =>
        {
            var kind = Validate.OneOf(body.Kind ?? "secret", "kind", ("secret", ApiKeyKind.Secret), ("publishable", ApiKeyKind.Publishable));
            var (record, key) = await environments.CreateKeyAsync(http.Scope().EnvironmentId, kind, Validate.Required(body.Name, "name"), null, http.Scope(), ct).ConfigureAwait(false);
            return TypedResults.Json(Envelope.Of(new NewKeyResponse(record, key)), statusCode: StatusCodes.Status201Created);
        });
        group.MapDelete("/api-keys/{keyId}", async (HttpContext http, string keyId, EnvironmentStore environments, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await environments.RevokeKeyAsync(http.Scope().EnvironmentId, keyId, http.Scope(), ct).ConfigureAwait(false), "API key"));

        // Secret keys only, like every endpoint of this group: a publishable key can neither read nor change its policy.
        group.MapGet("/environment/publishable-policy", async (HttpContext http, PublishablePolicies policies, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await policies.GetAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false))))
            .WithSummary("What the environment's publishable keys may do through identify and track");
        group.MapPut("/environment/publishable-policy", async (HttpContext http, PublishablePolicyRequest body, PublishablePolicies policies, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await policies.PutAsync(http.Scope(), body.ToPolicy(), ct).ConfigureAwait(false))))
            .WithSummary("Replace the publishable-key policy; fields left out take their (safe) defaults");
    }

    /// <summary>Body of <c>POST /environments</c>.</summary>
    public sealed record NewEnvironmentRequest(string? Name);

    /// <summary>Body of <c>POST /api-keys</c>.</summary>
    public sealed record NewKeyRequest(string? Name, string? Kind);

    /// <summary>A new key: the only time its text is shown.</summary>
    public sealed record NewKeyResponse(ApiKeyRecord ApiKey, string Key);

    /// <summary>A new environment with its first secret key.</summary>
    public sealed record NewEnvironmentResponse(EnvironmentRecord Environment, ApiKeyRecord ApiKey, string Key);
}
