using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tollgate.Server.Tests.WebConsole.Accounts;

/// <summary>
/// A tiny OpenID Connect provider on a loopback port, for the console's single sign-on tests: discovery, a JWKS with one
/// RSA key, an authorize endpoint whose page asks which email to be (the person "signs in" by typing it), and a token
/// endpoint that checks the client's secret, the redirect URI and the PKCE verifier before it answers an RS256-signed
/// id_token carrying the nonce it was given. Codes are single use.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    /// <summary>The client the console is registered as.</summary>
    public const string ClientId = "tollgate-console";

    /// <summary>The client's secret.</summary>
    public const string ClientSecret = "fake-idp-secret-for-tests";

    private const string KeyId = "fake-idp-key-1";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);
    private readonly TimeProvider _serverTime;
    private readonly WebApplication _app;
    private int _tokensIssued;

    private FakeIdentityProvider(TimeProvider serverTime)
    {
        _serverTime = serverTime;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", Discovery);
        _app.MapGet("/jwks", Keys);
        _app.MapGet("/authorize", AuthorizePage);
        _app.MapPost("/authorize", Authorize);
        _app.MapPost("/token", TokenAsync);
    }

    /// <summary>The issuer, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash: it is compared as a string).</summary>
    public string Authority { get; private set; } = string.Empty;

    /// <summary>How many id_tokens the token endpoint has handed out.</summary>
    public int TokensIssued => _tokensIssued;

    /// <summary>Starts the provider; <paramref name="serverTime"/> is the console's (fake) clock, see <see cref="Lifetime"/>.</summary>
    public static async Task<FakeIdentityProvider> StartAsync(TimeProvider serverTime)
    {
        var provider = new FakeIdentityProvider(serverTime);
        await provider._app.StartAsync();
        var address = provider._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider.Authority = address.TrimEnd('/');
        return provider;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }

    private IResult Discovery() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Authority,
        ["authorization_endpoint"] = Authority + "/authorize",
        ["token_endpoint"] = Authority + "/token",
        ["jwks_uri"] = Authority + "/jwks",
        ["response_types_supported"] = new[] { "code" },
        ["response_modes_supported"] = new[] { "query" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["scopes_supported"] = new[] { "openid", "profile", "email" },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
    });

    private IResult Keys()
    {
        var key = _rsa.ExportParameters(includePrivateParameters: false);
        return Results.Json(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent) },
            },
        });
    }

    // The provider's own sign-in page: which email to be. The request's parameters ride along as hidden fields.
    private static IResult AuthorizePage(HttpRequest request)
    {
        var q = request.Query;
        if (q["response_type"] != "code" || q["client_id"] != ClientId || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]) || string.IsNullOrEmpty(q["nonce"]))
        {
            return Results.BadRequest("authorize: expected response_type=code, our client_id, a nonce and an S256 code challenge");
        }

        var hidden = new StringBuilder();
        foreach (var name in new[] { "redirect_uri", "state", "nonce", "code_challenge" })
        {
            hidden.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(WebUtility.HtmlEncode(q[name].ToString())).Append("\">");
        }

        return Results.Content(
            $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake identity provider</title></head>
            <body><main><h1>Fake identity provider</h1><form method="post" action="/authorize">{hidden}
            <label for="email">Email</label> <input id="email" name="email" type="email">
            <label for="name">Name</label> <input id="name" name="name">
            <button type="submit">Continue</button></form></main></body></html>
            """,
            "text/html; charset=utf-8");
    }

    private IResult Authorize(HttpRequest request)
    {
        var form = request.Form;
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(form["email"].ToString(), form["name"].ToString(), form["nonce"].ToString(), form["redirect_uri"].ToString(), form["code_challenge"].ToString());
        var back = $"{form["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(form["state"].ToString())}&iss={Uri.EscapeDataString(Authority)}";
        return Results.Redirect(back);
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var (clientId, secret) = ClientOf(request, form);
        if (clientId != ClientId || secret != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"]
            || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.CodeChallenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var (issuedAt, expires) = Lifetime();
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = ClientId,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "fake|" + grant.Email.ToLowerInvariant(),
                ["email"] = grant.Email,
                ["email_verified"] = true,
                ["name"] = grant.Name,
                ["nonce"] = grant.Nonce,
            },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
        Interlocked.Increment(ref _tokensIssued);
        return Results.Json(new { access_token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), token_type = "Bearer", expires_in = 3600, id_token = token });
    }

    /// <summary>
    /// The token's lifetime covers both the console's fake clock and the real one: the console may judge a token by
    /// either (its own <see cref="TimeProvider"/>, or the token library's system clock).
    /// </summary>
    private (DateTime IssuedAt, DateTime Expires) Lifetime()
    {
        var fake = _serverTime.GetUtcNow().UtcDateTime;
        var real = DateTime.UtcNow;
        return ((fake < real ? fake : real).AddMinutes(-5), (fake > real ? fake : real).AddHours(1));
    }

    private static (string? Id, string? Secret) ClientOf(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }

        return (form["client_id"], form["client_secret"]);
    }

    private sealed record Grant(string Email, string Name, string Nonce, string RedirectUri, string CodeChallenge);
}
