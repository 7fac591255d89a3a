using System.Security.Cryptography;
using System.Text.Json;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Ofrep;
using Tollgate.Server.Operations;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// OpenFeature's Remote Evaluation Protocol (OFREP 0.1, https://github.com/open-feature/protocol): any OpenFeature SDK
/// with an OFREP provider reads Tollgate's boolean flags. The key comes in <c>X-Schematic-Api-Key</c> or
/// <c>Authorization: Bearer</c>; a publishable key may call both (the bulk call is the browser providers'). The context
/// maps to a company and a user as <see cref="OfrepContext"/> says; answers are the REST check's, in OFREP's shape, and
/// errors are OFREP's (<c>{"key"?, "errorCode", "errorDetails"}</c>), not Tollgate's <c>{"error"}</c>.
/// </summary>
internal static class OfrepEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static void Map(RouteGroupBuilder api)
    {
        var ofrep = api.MapGroup("/ofrep/v1/evaluate").WithTags("OpenFeature (OFREP)")
            .WithMetadata(new ApiKeyAuthentication.AllowPublishable(), new ApiKeyAuthentication.AcceptsBearerKey());

        ofrep.MapPost("/flags/{key}", async (HttpContext http, string key, CheckService checks, TollgateMetrics metrics, CancellationToken ct) =>
        {
            var started = metrics.Start();
            var body = await ReadBodyAsync(http, ct).ConfigureAwait(false);
            if (!OfrepContext.TryParse(body, out var request, out var code, out var details))
            {
                return Results.Json(new OfrepFailure(key, code, details), statusCode: StatusCodes.Status400BadRequest);
            }

            CheckFlagResponse answer;
            try
            {
                answer = await checks.CheckAsync(http.Scope(), key, request, ct).ConfigureAwait(false);
            }
            catch (RequestException exception) when (exception.StatusCode == StatusCodes.Status404NotFound)
            {
                return Results.Json(new OfrepFailure(key, OfrepErrorCodes.FlagNotFound, $"flag '{key}' not found"), statusCode: StatusCodes.Status404NotFound);
            }

            metrics.CheckAnswered("ofrep", started);
            return Results.Json(OfrepMapper.ToEvaluation(answer));
        }).WithSummary("Evaluates one flag (OFREP single flag evaluation)");

        ofrep.MapPost("/flags", async (HttpContext http, CheckService checks, TollgateMetrics metrics, CancellationToken ct) =>
        {
            var started = metrics.Start();
            var body = await ReadBodyAsync(http, ct).ConfigureAwait(false);
            if (!OfrepContext.TryParse(body, out var request, out var code, out var details))
            {
                return Results.Json(new OfrepBulkFailure(code, details), statusCode: StatusCodes.Status400BadRequest);
            }

            var answers = await checks.CheckAllAsync(http.Scope(), request, ct).ConfigureAwait(false);
            var json = JsonSerializer.SerializeToUtf8Bytes(new OfrepBulkEvaluation([.. answers.Flags.Select(OfrepMapper.ToEvaluation)]));
            metrics.CheckAnswered("ofrep-bulk", started);

            // The tag is the answer's hash: the same answers for the same context are "not modified" to a provider that
            // polls (OFREP's If-None-Match), whatever changed in between that did not change them.
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(json).AsSpan(0, 16))}\"";
            http.Response.Headers.ETag = etag;
            if (NoneMatch(http.Request, etag))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            return Results.Bytes(json, "application/json");
        }).WithSummary("Evaluates every flag for one context (OFREP bulk evaluation, with ETag and If-None-Match)");
    }

    private static bool NoneMatch(HttpRequest request, string etag)
    {
        foreach (var value in request.Headers.IfNoneMatch)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var candidate in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // A weak comparison (RFC 9110 §13.1.2), as If-None-Match asks.
                if (candidate == "*" || (candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate) == etag)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new RequestException(StatusCodes.Status413PayloadTooLarge, $"body: larger than {MaxBodyBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
