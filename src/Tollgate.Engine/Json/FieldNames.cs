using System.Text;

namespace Tollgate.Engine.Json;

/// <summary>
/// Maps property names to <see cref="Field"/>s. The reference engine accepts camelCase and snake_case spellings (and
/// a mix across properties), nothing else; the camelCase spelling is the one error messages name.
/// </summary>
internal static class FieldNames
{
    private static readonly Dictionary<string, Field> ByName = Build();
    private static readonly Dictionary<string, Field>.AlternateLookup<ReadOnlySpan<char>> ByNameSpan =
        ByName.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly string[] CamelNames = BuildCamelNames();

    public static Field Lookup(ReadOnlySpan<char> name) => ByNameSpan.TryGetValue(name, out var field) ? field : Field.Unknown;

    /// <summary>Every accepted spelling and its field.</summary>
    public static IEnumerable<KeyValuePair<string, Field>> All => ByName;

    /// <summary>The camelCase name, as in <c>missing field `accountId`</c>.</summary>
    public static string CamelName(Field field) => CamelNames[(int)field];

    private static Dictionary<string, Field> Build()
    {
        var map = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var field in Enum.GetValues<Field>())
        {
            if (field == Field.Unknown)
            {
                continue;
            }

            var pascal = field.ToString();
            map[char.ToLowerInvariant(pascal[0]) + pascal[1..]] = field;
            map[ToSnake(pascal)] = field;
        }

        return map;
    }

    private static string[] BuildCamelNames()
    {
        var names = new string[Enum.GetValues<Field>().Length];
        foreach (var field in Enum.GetValues<Field>())
        {
            var pascal = field.ToString();
            names[(int)field] = char.ToLowerInvariant(pascal[0]) + pascal[1..];
        }

        return names;
    }

    private static string ToSnake(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(pascal[i]));
        }

        return builder.ToString();
    }
}
