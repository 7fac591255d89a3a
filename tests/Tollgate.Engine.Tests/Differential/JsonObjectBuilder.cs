using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>How one generated object spells its field names; the WASM accepts all three.</summary>
internal enum FieldSpelling
{
    Camel,
    Snake,
    Mixed,
}

/// <summary>
/// Builds one JSON object field by field, written in camelCase by the generators and re-spelled per object (camel,
/// snake or mixed), with optional fields sometimes written as explicit <c>null</c> and the field order sometimes shuffled.
/// Map keys (credit ids, key names) are data, so they never go through this builder.
/// </summary>
internal sealed class JsonObjectBuilder
{
    private readonly Random _random;
    private readonly FieldSpelling _spelling;
    private readonly List<KeyValuePair<string, JsonNode?>> _fields = [];

    public JsonObjectBuilder(Random random)
    {
        _random = random;
        var roll = random.NextDouble();
        _spelling = roll < 0.70 ? FieldSpelling.Camel : roll < 0.85 ? FieldSpelling.Snake : FieldSpelling.Mixed;
    }

    public JsonObjectBuilder Required(string camelName, JsonNode? value)
    {
        _fields.Add(new(Spell(camelName), value));
        return this;
    }

    /// <summary>Adds the field when it has a value; otherwise leaves it out or, now and then, writes an explicit null.</summary>
    public JsonObjectBuilder Optional(string camelName, JsonNode? value)
    {
        if (value is not null || _random.NextDouble() < 0.15)
        {
            _fields.Add(new(Spell(camelName), value));
        }

        return this;
    }

    public JsonObject Build()
    {
        var fields = _fields;
        if (_random.NextDouble() < 0.08)
        {
            fields = [.. fields.OrderBy(_ => _random.Next())];
        }

        return new JsonObject(fields);
    }

    public static string ToSnakeCase(string camelName) =>
        string.Concat(camelName.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));

    public static string ToCamelCase(string name)
    {
        var parts = name.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private string Spell(string camelName) => _spelling switch
    {
        FieldSpelling.Snake => ToSnakeCase(camelName),
        FieldSpelling.Mixed when _random.Next(2) == 0 => ToSnakeCase(camelName),
        _ => camelName,
    };
}
