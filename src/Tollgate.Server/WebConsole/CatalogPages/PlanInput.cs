using Tollgate.Server.Catalog;

namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>The plan form (new and edit): the fields of the API's <see cref="PlanRequest"/> (the icon is left as it is).</summary>
public sealed class PlanInput
{
    /// <summary>Display name.</summary>
    public string? Name { get; set; }

    /// <summary>Optional description.</summary>
    public string? Description { get; set; }

    /// <summary><c>plan</c> or <c>add_on</c>.</summary>
    public string Type { get; set; } = "plan";

    /// <summary>The API's field names mapped to this form's, bound under <paramref name="prefix"/>.</summary>
    public static IReadOnlyDictionary<string, string> Fields(string prefix) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = prefix + ".Name",
        ["description"] = prefix + ".Description",
        ["plan_type"] = prefix + ".Type",
    };

    /// <summary>The form filled from a stored plan.</summary>
    public static PlanInput From(PlanRecord plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanInput { Name = plan.Name, Description = plan.Description, Type = plan.PlanType == PlanType.AddOn ? "add_on" : "plan" };
    }

    /// <summary>The API request.</summary>
    public PlanRequest ToRequest() => new(Name?.Trim() ?? string.Empty, Description?.Trim() ?? string.Empty, Type);
}
