namespace Tollgate.Server.Api;

/// <summary>Deep-object query parameters, as Schematic's SDKs send them: <c>?keys[id]=acme&amp;keys[email]=a%40b</c>.</summary>
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

        if (keys.Count == 0)
        {
            Errors.BadRequest(name, $"give at least one key, e.g. ?{name}[id]=acme");
        }

        return keys;
    }
}
