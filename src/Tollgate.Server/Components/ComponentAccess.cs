using Tollgate.Server.Companies;

namespace Tollgate.Server.Components;

/// <summary>
/// Endpoints that Schematic's components call with a temporary access token (<c>X-Schematic-Api-Key: token_…</c>,
/// issued by <c>POST /temporary-access-tokens</c>). A token is accepted ONLY by endpoints marked with
/// <see cref="RequireComponentAccess{TBuilder}"/>; every other endpoint answers 403 to it (and 401 once it expired).
/// </summary>
/// <example>
/// Mark an endpoint of the key-requiring group, then read the token's company in the handler. The company always comes
/// from the token, never from the request, so a token cannot be pointed at another company:
/// <code>
/// api.MapPost("/checkout", async (HttpContext http, CheckoutRequest body, CancellationToken ct) =>
/// {
///     var company = http.ComponentCompany();     // the token's CompanyRecord, loaded by the filter
///     var scope = http.Scope();                  // the token's environment; ApiKeyId is the token id (tat_…)
///     ...
/// }).RequireComponentAccess();
/// </code>
/// Secret and publishable keys are refused (403) on such an endpoint: they do not say which company they speak for.
/// </example>
public static class ComponentAccess
{
    private static readonly object PrincipalItem = new();
    private static readonly object CompanyItem = new();

    /// <summary>Endpoint metadata: the endpoint accepts a temporary access token (and only such a token).</summary>
    public sealed class AllowsToken;

    /// <summary>
    /// Lets the endpoint be called with a temporary access token, and only with one: a filter loads the token's company
    /// (<see cref="ComponentCompany"/>) before the handler runs; 403 for an API key, 404 when the company is gone.
    /// </summary>
    public static TBuilder RequireComponentAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new AllowsToken());
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Items[PrincipalItem] is not ComponentPrincipal principal)
            {
                return Results.Json(
                    new { error = "this endpoint takes a temporary access token (POST /temporary-access-tokens), not an API key" },
                    statusCode: StatusCodes.Status403Forbidden);
            }

            var companies = http.RequestServices.GetRequiredService<CompanyService>();
            http.Items[CompanyItem] = await companies.GetAsync(principal.Scope, principal.CompanyId, http.RequestAborted).ConfigureAwait(false);
            return await next(context).ConfigureAwait(false);
        });
        return builder;
    }

    /// <summary>The token the request was made with, or null when it came with an API key.</summary>
    public static ComponentPrincipal? Principal(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[PrincipalItem] as ComponentPrincipal;
    }

    /// <summary>The token's company, as loaded by the filter of <see cref="RequireComponentAccess{TBuilder}"/>.</summary>
    public static CompanyRecord ComponentCompany(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[CompanyItem] as CompanyRecord
            ?? throw new InvalidOperationException("The endpoint is not marked with RequireComponentAccess.");
    }

    /// <summary>
    /// Authenticates a token for the API-key middleware: its principal when the token is valid and the endpoint accepts
    /// tokens; otherwise the refusal (status and message) to answer with.
    /// </summary>
    internal static async ValueTask<(ComponentPrincipal? Principal, int Status, string? Error)> AuthenticateAsync(HttpContext http, Endpoint endpoint, string token)
    {
        var tokens = http.RequestServices.GetRequiredService<TemporaryAccessTokens>();
        var principal = await tokens.AuthenticateAsync(token, http.RequestAborted).ConfigureAwait(false);
        if (principal is null)
        {
            return (null, StatusCodes.Status401Unauthorized, "invalid or expired temporary access token");
        }

        if (endpoint.Metadata.GetMetadata<AllowsToken>() is null)
        {
            return (null, StatusCodes.Status403Forbidden, "a temporary access token may only read its company's component data and run its checkout");
        }

        http.Items[PrincipalItem] = principal;
        return (principal, StatusCodes.Status200OK, null);
    }
}
