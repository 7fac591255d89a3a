using System.Text.Json;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// Key/value query parameters, in both forms Schematic's SDKs send: deep-object brackets
/// <c>?keys[id]=acme&amp;keys[email]=a%40b</c> (the C# SDK), and one JSON object <c>?keys={"id":"acme"}</c> (the Node SDK
/// 1.6.2's <c>companies.lookupCompany</c>, which <c>JSON.stringify</c>s the map).
/// </summary>
internal static class QueryKeys
{
    public static Dictionary<string, string> From(HttpRequest request, string name)
    {
        var prefix = name + "[";
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (parameter, values) in request.Query)
        {
            if (parameter.StartsWith(prefix, StringComparison.Ordinal) && parameter.EndsWith(']'))
            {
                keys[parameter[prefix.Length..^1]] = values.ToString();
            }
        }

        if (keys.Count == 0 && request.Query[name] is [{ Length: > 0 } json])
        {
            ReadJsonObject(json, name, keys);
        }

        if (keys.Count == 0)
        {
            Errors.BadRequest(name, $"give at least one key, e.g. ?{name}[id]=acme");
        }

        return keys;
    }

    private static void ReadJsonObject(string json, string name, Dictionary<string, string> keys)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            Errors.BadRequest(name, $"must be a JSON object of strings, e.g. ?{name}={{\"id\":\"acme\"}}, or ?{name}[id]=acme");
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                Errors.BadRequest(name, $"must be a JSON object of strings, e.g. ?{name}={{\"id\":\"acme\"}}, or ?{name}[id]=acme");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                keys[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    _ => throw new RequestException(StatusCodes.Status400BadRequest, $"{name}.{property.Name}: must be a string"),
                };
            }
        }
    }
}
