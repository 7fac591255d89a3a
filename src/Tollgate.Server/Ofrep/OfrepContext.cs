using System.Text.Json;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Ofrep;

/// <summary>
/// An OFREP evaluation context mapped to the company and user a check is about:
/// <list type="bullet">
/// <item><c>context.company</c>, an object of string keys (<c>{"id": "acme"}</c>), names the company;</item>
/// <item><c>context.user</c>, likewise, names the user;</item>
/// <item><c>context.targetingKey</c> names the company by its <c>id</c> key when there is no <c>company</c> object
/// (an entitlement belongs to a company, so the subject OpenFeature targets is the company).</item>
/// </list>
/// Other attributes are accepted and ignored: traits live in Tollgate, not in the request.
/// </summary>
internal static class OfrepContext
{
    /// <summary>Parses a request body (<c>{"context": {...}}</c>, possibly empty) into a check's context.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out CheckRequest request, out string errorCode, out string errorDetails)
    {
        request = new CheckRequest(null, null, null);
        (errorCode, errorDetails) = (string.Empty, string.Empty);
        if (body.IsEmpty)
        {
            return true;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException exception)
        {
            (errorCode, errorDetails) = (OfrepErrorCodes.ParseError, $"body: not JSON ({exception.Message})");
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                (errorCode, errorDetails) = (OfrepErrorCodes.ParseError, "body: must be an object");
                return false;
            }

            if (!root.TryGetProperty("context", out var context) || context.ValueKind == JsonValueKind.Null)
            {
                return true;
            }

            if (context.ValueKind != JsonValueKind.Object)
            {
                (errorCode, errorDetails) = (OfrepErrorCodes.InvalidContext, "context: must be an object");
                return false;
            }

            if (!TryKeys(context, "company", out var company, out errorDetails) || !TryKeys(context, "user", out var user, out errorDetails))
            {
                errorCode = OfrepErrorCodes.InvalidContext;
                return false;
            }

            if (company is null && context.TryGetProperty("targetingKey", out var targetingKey) && targetingKey.ValueKind != JsonValueKind.Null)
            {
                if (targetingKey.ValueKind != JsonValueKind.String || targetingKey.GetString() is not { Length: > 0 } id)
                {
                    (errorCode, errorDetails) = (OfrepErrorCodes.InvalidContext, "context.targetingKey: must be a non-empty string");
                    return false;
                }

                company = new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = id };
            }

            request = new CheckRequest(company, user, null);
            return true;
        }
    }

    private static bool TryKeys(JsonElement context, string name, out Dictionary<string, string>? keys, out string problem)
    {
        (keys, problem) = (null, string.Empty);
        if (!context.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problem = $"context.{name}: must be an object of keys, e.g. {{\"id\": \"acme\"}}";
            return false;
        }

        keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() is not { Length: > 0 } key)
            {
                problem = $"context.{name}.{property.Name}: must be a non-empty string";
                return false;
            }

            keys[property.Name] = key;
        }

        if (keys.Count > Companies.CompanyService.MaxKeys)
        {
            problem = $"context.{name}: at most {Companies.CompanyService.MaxKeys} keys";
            return false;
        }

        keys = keys.Count == 0 ? null : keys;
        return true;
    }
}
