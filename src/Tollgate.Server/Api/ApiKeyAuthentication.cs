using Tollgate.Server.Environments;

namespace Tollgate.Server.Api;

/// <summary>
/// Every API request carries <c>X-Schematic-Api-Key</c>; the key decides the one environment the request may touch.
/// Publishable keys may only call endpoints marked with <see cref="AllowPublishable"/>.
/// </summary>
/// <remarks>
/// Keys are checked by a middleware after routing rather than by an endpoint filter: filters run after the body is
/// bound, so a request without a valid key would learn from a 400 what its body got wrong before being told it may
/// not call the endpoint at all.
/// </remarks>
public static class ApiKeyAuthentication
{
    /// <summary>The header Schematic SDKs send.</summary>
    public const string Header = "X-Schematic-Api-Key";

    private static readonly object ScopeItem = new();

    /// <summary>Marks an endpoint (checks) as callable with a publishable key.</summary>
    public sealed class AllowPublishable;

    /// <summary>
    /// Marks an endpoint that also takes the key as <c>Authorization: Bearer &lt;key&gt;</c> when <see cref="Header"/> is
    /// absent (OpenFeature's OFREP providers send either).
    /// </summary>
    public sealed class AcceptsBearerKey;

    /// <summary>Marks an endpoint as needing a key; set on every endpoint of a group by <see cref="RequireApiKey"/>.</summary>
    public sealed class RequiresApiKey;

    /// <summary>Requires a valid key on every endpoint of the group (checked by <see cref="UseApiKeys"/>).</summary>
    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.WithMetadata(new RequiresApiKey());
        return group;
    }

    /// <summary>Authenticates requests to endpoints that require a key, before the endpoint reads anything.</summary>
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (http, next) =>
        {
            var endpoint = http.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<RequiresApiKey>() is null)
            {
                await next(http).ConfigureAwait(false);
                return;
            }

            var key = http.Request.Headers[Header].ToString();
            if (key.Length == 0 && endpoint.Metadata.GetMetadata<AcceptsBearerKey>() is not null
                && http.Request.Headers.Authorization.ToString() is var authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                key = authorization["Bearer ".Length..].Trim();
            }

            if (key.Length == 0)
            {
                await RefuseAsync(http, StatusCodes.Status401Unauthorized, $"missing {Header} header").ConfigureAwait(false);
                return;
            }

            if (Components.TemporaryAccessTokens.IsToken(key))
            {
                var (principal, status, error) = await Components.ComponentAccess.AuthenticateAsync(http, endpoint, key).ConfigureAwait(false);
                if (principal is null)
                {
                    await RefuseAsync(http, status, error!).ConfigureAwait(false);
                    return;
                }

                http.Items[ScopeItem] = principal.Scope;
                await next(http).ConfigureAwait(false);
                return;
            }

            var environments = http.RequestServices.GetRequiredService<EnvironmentStore>();
            var scope = await environments.AuthenticateAsync(key, http.RequestAborted).ConfigureAwait(false);
            if (scope is null)
            {
                await RefuseAsync(http, StatusCodes.Status401Unauthorized, "invalid or revoked API key").ConfigureAwait(false);
                return;
            }

            if (scope.Kind == ApiKeyKind.Publishable && endpoint.Metadata.GetMetadata<AllowPublishable>() is null)
            {
                await RefuseAsync(http, StatusCodes.Status403Forbidden, "a publishable key may only check flags; use a secret key").ConfigureAwait(false);
                return;
            }

            http.Items[ScopeItem] = scope;
            await next(http).ConfigureAwait(false);
        });
    }

    /// <summary>The scope of an authenticated request.</summary>
    public static RequestScope Scope(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[ScopeItem] as RequestScope
            ?? throw new InvalidOperationException("The endpoint is not behind RequireApiKey.");
    }

    private static Task RefuseAsync(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error }, http.RequestAborted);
    }
}
