using System.Text.Json;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Tollgate.Server.Environments;

namespace Tollgate.Server.Components;

/// <summary>
/// CORS for the routes browsers call (the components' and, through <see cref="PolicyName"/>, the browser SDK's): an
/// origin is allowed when the environment of the request's key lists it (<see cref="ComponentOrigins"/>). A preflight
/// carries no key, so it is answered for an origin that some environment lists; the request itself is then checked
/// against its own key's environment, and a browser reads no answer its origin is not allowed for. Keys travel in
/// headers only: credentials (cookies) are never allowed.
/// </summary>
/// <remarks>
/// Endpoints opt in with <c>.RequireCors(ComponentCors.PolicyName)</c>; nothing else answers CORS. The browser SDK's
/// event capture (<c>POST /e</c>) carries its key in the body, so its body is read for the key.
/// </remarks>
internal sealed class ComponentCors(ComponentOrigins origins, TemporaryAccessTokens tokens, EnvironmentStore environments) : ICorsPolicyProvider
{
    /// <summary>The named policy of the browser routes.</summary>
    public const string PolicyName = "tollgate-browser";

    /// <summary>How long a browser may reuse a preflight answer.</summary>
    public static readonly TimeSpan PreflightMaxAge = TimeSpan.FromMinutes(10);

    // What Schematic's components and browser SDK send (their fetch calls): the key, the components' version and
    // session headers, and JSON bodies.
    private static readonly string[] Headers = [Api.ApiKeyAuthentication.Header, "X-Schematic-Components-Version", "X-Schematic-Session-ID", "X-Schematic-Client-Version", "Content-Type"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE"];

    /// <inheritdoc />
    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (policyName != PolicyName || context.Request.Headers.Origin.ToString() is not { Length: > 0 } origin)
        {
            return null;
        }

        var allowing = await origins.EnvironmentsAllowingAsync(origin.ToLowerInvariant(), context.RequestAborted).ConfigureAwait(false);
        // The browser SDK's event capture (POST /e) sends its key in the body, not in a header: like a preflight, it is
        // answered for an origin some environment lists (its answer says only whether the events were taken).
        var allowed = allowing.Count > 0 && (IsPreflight(context.Request) || IsKeyInBody(context.Request)
            || allowing.Contains(await EnvironmentOfAsync(context).ConfigureAwait(false) ?? string.Empty, StringComparer.Ordinal));
        var policy = new CorsPolicyBuilder().WithHeaders(Headers).WithMethods(Methods).SetPreflightMaxAge(PreflightMaxAge);
        return (allowed ? policy.WithOrigins(origin) : policy).Build();
    }

    private static bool IsKeyInBody(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals("/e", StringComparison.Ordinal) && !request.Headers.ContainsKey(Api.ApiKeyAuthentication.Header);

    private static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method");

    /// <summary>The largest event body read for its key: schematic-js sends one small event per request.</summary>
    private const long MaxEventBytes = 64 * 1024;

    private async Task<string?> EnvironmentOfAsync(HttpContext context)
    {
        var key = context.Request.Headers[Api.ApiKeyAuthentication.Header].ToString();
        if (key.Length == 0 && IsEventCapture(context.Request))
        {
            key = await EventKeyAsync(context.Request, context.RequestAborted).ConfigureAwait(false) ?? string.Empty;
        }

        if (key.Length == 0)
        {
            return null;
        }

        return TemporaryAccessTokens.IsToken(key)
            ? (await tokens.AuthenticateAsync(key, context.RequestAborted).ConfigureAwait(false))?.EnvironmentId
            : (await environments.AuthenticateAsync(key, context.RequestAborted).ConfigureAwait(false))?.EnvironmentId;
    }

    private static bool IsEventCapture(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals("/e", StringComparison.Ordinal);

    /// <summary>
    /// The key of an event sent to <c>POST /e</c>, which schematic-js puts in the body (<c>api_key</c>), not in a header.
    /// The body is buffered and rewound, so the endpoint reads it whole; a body without a length or over
    /// <see cref="MaxEventBytes"/> is not read, and gets no CORS answer.
    /// </summary>
    private static async Task<string?> EventKeyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is not (> 0 and <= MaxEventBytes))
        {
            return null;
        }

        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("api_key", out var key) && key.ValueKind == JsonValueKind.String
                ? key.GetString()
                : null;
        }
        catch (JsonException)
        {
            // The endpoint answers the bad body itself (400 naming it); CORS only needs to know it names no key.
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
