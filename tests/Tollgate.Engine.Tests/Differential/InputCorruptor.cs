using System.Globalization;
using System.Text.Json.Nodes;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Breaks one thing in a valid scenario so that Schematic's engine rejects it: drops a required field, puts a decimal in
/// an integer field, uses an enum value the engine does not know, gives a field the wrong JSON type, or spells one field
/// twice (camel and snake). Objects are recognised by the property that holds them, in either spelling.
/// </summary>
internal static class InputCorruptor
{
    private static readonly Dictionary<string, string[]> RequiredFields = new()
    {
        ["flag"] = ["id", "accountId", "environmentId", "key", "defaultValue"],
        ["rules"] = ["id", "accountId", "environmentId", "ruleType", "name", "priority", "value"],
        ["conditions"] = ["id", "accountId", "environmentId", "conditionType", "operator", "traitValue"],
        ["traitDefinition"] = ["id", "comparableType", "entityType"],
        ["comparisonTraitDefinition"] = ["id", "comparableType", "entityType"],
        ["company"] = ["id", "accountId", "environmentId"],
        ["user"] = ["id", "accountId", "environmentId"],
        ["metrics"] = ["accountId", "environmentId", "companyId", "eventSubtype", "period", "monthReset", "value", "createdAt"],
        ["entitlements"] = ["featureId", "featureKey", "valueType"],
        ["subscription"] = ["id", "periodStart", "periodEnd"],
        ["traits"] = ["value"],
        ["warningTiers"] = ["key", "value"],
    };

    private static readonly (string Role, string Field)[] IntegerFields =
    [
        ("rules", "priority"), ("conditions", "metricValue"), ("metrics", "value"), ("entitlements", "allocation"),
        ("entitlements", "usage"), ("entitlements", "softLimit"), ("options", "usage"),
    ];

    private static readonly (string Role, string Field, string Bogus)[] EnumFields =
    [
        ("rules", "ruleType", "Standard"), ("rules", "ruleType", "override"), ("traitDefinition", "comparableType", "float"),
        ("comparisonTraitDefinition", "comparableType", "number"), ("traitDefinition", "entityType", "org"),
        ("conditions", "metricPeriod", "current_year"), ("conditions", "metricPeriodMonthReset", "last_of_month"),
        ("metrics", "period", "weekly"), ("metrics", "monthReset", ""), ("entitlements", "valueType", "bool"),
        ("entitlements", "metricPeriod", "all-time"),
    ];

    /// <summary>Corrupts the scenario in place and says what was done, e.g. <c>missing field `name` (rules)</c>.</summary>
    public static string Corrupt(Random random, JsonObject root)
    {
        var objects = new List<(JsonObject Node, string Role)>();
        foreach (var part in new[] { "flag", "company", "user", "options" })
        {
            if (root[part] is JsonObject node)
            {
                Collect(node, part, objects);
            }
        }

        return random.Next(100) switch
        {
            < 45 => MissingField(random, objects),
            < 63 => Replace(random, objects, IntegerFields.Select(f => (f.Role, f.Field, (JsonNode?)null)), "decimal")
                ?? MissingField(random, objects),
            < 88 => Replace(random, objects, EnumFields.Select(f => (f.Role, f.Field, (JsonNode?)f.Bogus)), "unknown variant")
                ?? MissingField(random, objects),
            < 96 => WrongType(random, root, objects),
            _ => DuplicateField(random, objects),
        };
    }

    private static void Collect(JsonObject node, string role, List<(JsonObject, string)> into)
    {
        into.Add((node, role));
        foreach (var (key, value) in node)
        {
            var childRole = JsonObjectBuilder.ToCamelCase(key);
            var children = value is JsonArray array ? array.OfType<JsonObject>() : value is JsonObject obj ? [obj] : [];
            foreach (var child in children)
            {
                // Map-valued properties hold data keys, not objects with roles; conditionGroups only wrap conditions.
                if (childRole is not ("keys" or "creditBalances" or "creditPostpaid" or "creditCost" or "eventUsage"))
                {
                    Collect(child, childRole, into);
                }
            }
        }
    }

    private static string MissingField(Random random, List<(JsonObject Node, string Role)> objects)
    {
        var candidates = objects
            .Where(o => RequiredFields.ContainsKey(o.Role))
            .SelectMany(o => RequiredFields[o.Role].Select(f => (o.Node, o.Role, Key: FindKey(o.Node, f))))
            .Where(c => c.Key is not null)
            .ToList();
        var (node, role, key) = random.Pick(candidates);
        node.Remove(key!);
        return $"missing field `{JsonObjectBuilder.ToCamelCase(key!)}` ({role})";
    }

    private static string? Replace(
        Random random, List<(JsonObject Node, string Role)> objects, IEnumerable<(string Role, string Field, JsonNode? Value)> fields, string what)
    {
        var candidates = fields
            .SelectMany(f => objects.Where(o => o.Role == f.Role).Select(o => (o.Node, f.Role, Key: FindKey(o.Node, f.Field), f.Value)))
            .Where(c => c.Key is not null && c.Node[c.Key] is JsonValue)
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var (node, role, key, value) = random.Pick(candidates);
        node[key!] = value ?? JsonValue.Create(long.Parse(node[key!]!.ToJsonString(), CultureInfo.InvariantCulture) + 0.5);
        return $"{what}: {key} ({role})";
    }

    private static string WrongType(Random random, JsonObject root, List<(JsonObject Node, string Role)> objects)
    {
        switch (random.Next(4))
        {
            case 0:
                root["flag"] = null;
                return "flag is null";
            case 1 when objects.FirstOrDefault(o => o.Role == "traits").Node is { } trait && FindKey(trait, "value") is { } key:
                trait[key] = 7;
                return "trait value is a number";
            case 2 when objects.FirstOrDefault(o => o.Role == "rules").Node is { } rule && FindKey(rule, "value") is { } key:
                rule[key] = "true";
                return "rule value is a string";
            default:
                var flag = (JsonObject)root["flag"]!;
                flag[FindKey(flag, "defaultValue") ?? "defaultValue"] = "false";
                return "flag defaultValue is a string";
        }
    }

    private static string DuplicateField(Random random, List<(JsonObject Node, string Role)> objects)
    {
        var (node, role) = random.Pick(objects.Where(o => FindKey(o.Node, "accountId") is not null).ToList());
        var key = FindKey(node, "accountId")!;
        node[key == "accountId" ? "account_id" : "accountId"] = "acc_other";
        return $"duplicate field `accountId` ({role})";
    }

    /// <summary>The key under which a field appears in the object, in whichever spelling it was written.</summary>
    private static string? FindKey(JsonObject node, string camelName)
    {
        var snake = JsonObjectBuilder.ToSnakeCase(camelName);
        return node.ContainsKey(camelName) ? camelName : node.ContainsKey(snake) ? snake : null;
    }
}
