using Tollgate.Server.Environments;

namespace Tollgate.Server.Api;

/// <summary>
/// Every API request carries <c>X-Schematic-Api-Key</c>; the key decides the one environment the request may touch.
/// Publishable keys may only call endpoints marked with <see cref="AllowPublishable"/>.
/// </summary>
public static class ApiKeyAuthentication
{
    /// <summary>The header Schematic SDKs send.</summary>
    public const string Header = "X-Schematic-Api-Key";

    private static readonly object ScopeItem = new();

    /// <summary>Marks an endpoint (checks) as callable with a publishable key.</summary>
    public sealed class AllowPublishable;

    /// <summary>Requires a valid key on every endpoint of the group.</summary>
    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var key = http.Request.Headers[Header].ToString();
            if (key.Length == 0)
            {
                return Results.Json(new { error = $"missing {Header} header" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            var environments = http.RequestServices.GetRequiredService<EnvironmentStore>();
            var scope = await environments.AuthenticateAsync(key, http.RequestAborted).ConfigureAwait(false);
            if (scope is null)
            {
                return Results.Json(new { error = "invalid or revoked API key" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            if (scope.Kind == ApiKeyKind.Publishable && http.GetEndpoint()?.Metadata.GetMetadata<AllowPublishable>() is null)
            {
                return Results.Json(new { error = "a publishable key may only check flags; use a secret key" }, statusCode: StatusCodes.Status403Forbidden);
            }

            http.Items[ScopeItem] = scope;
            return await next(context).ConfigureAwait(false);
        });
        return group;
    }

    /// <summary>The scope of an authenticated request.</summary>
    public static RequestScope Scope(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[ScopeItem] as RequestScope
            ?? throw new InvalidOperationException("The endpoint is not behind RequireApiKey.");
    }
}
