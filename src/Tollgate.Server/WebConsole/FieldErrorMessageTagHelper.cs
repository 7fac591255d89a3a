using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// Gives a field's error message (<c>asp-validation-for</c>) the id its field points to (<see cref="ErrorIdOf"/>), unless
/// the page gave it one.
/// </summary>
[HtmlTargetElement("span", Attributes = "asp-validation-for")]
public sealed class FieldErrorMessageTagHelper : TagHelper
{
    /// <summary>The field whose error this is.</summary>
    [HtmlAttributeName("asp-validation-for")]
    public ModelExpression For { get; set; } = null!;

    /// <summary>The view, for the field's full name.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <summary>The id of the error of the field named <paramref name="fullName"/> (<c>Input.Name</c> → <c>Input_Name-error</c>).</summary>
    public static string ErrorIdOf(string fullName) => $"{TagBuilder.CreateSanitizedId(fullName, "_")}-error";

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.Attributes.ContainsName("id"))
        {
            output.Attributes.SetAttribute("id", ErrorIdOf(ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name)));
        }
    }
}
