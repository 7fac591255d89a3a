using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tollgate.Server.WebConsole.Pages.Flags;

/// <summary>
/// Maps the fields the API names in its errors (<c>rules[2].condition_groups[0].conditions[1].trait_id</c>) onto the
/// rules editor's form fields (<c>Rule.ConditionGroups[0].Conditions[1].TraitId</c>), so an error shows next to the
/// field at fault.
/// </summary>
public static partial class RuleFormFields
{
    /// <summary>
    /// The form field for an API field of the rule at <paramref name="ruleIndex"/> of the request, under
    /// <paramref name="prefix"/>; null when the field is another rule's or not a rule's at all.
    /// </summary>
    public static string? FormField(string apiField, int ruleIndex, string prefix)
    {
        ArgumentNullException.ThrowIfNull(apiField);
        var match = RuleField().Match(apiField);
        if (!match.Success || int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) != ruleIndex)
        {
            return null;
        }

        var builder = new StringBuilder(prefix);
        foreach (var segment in match.Groups[2].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            builder.Append('.').Append(Pascal(name));
            if (name == "resource_ids")
            {
                // Typed ids and chosen plans share one API field; the form shows it beside both.
                break;
            }

            if (bracket >= 0)
            {
                builder.Append(segment[bracket..]);
            }
        }

        return builder.ToString();
    }

    private static string Pascal(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    [GeneratedRegex(@"^rules\[(\d+)\]((?:\.[a-z_]+(?:\[\d+\])?)*)$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleField();
}
