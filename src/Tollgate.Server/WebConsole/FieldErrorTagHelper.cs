using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// Ties a form field (<c>asp-for</c>) to the error its page's model state holds for it, so that a screen reader
/// announces the error with the field: <c>aria-invalid="true"</c>, and the error's element (<see cref="FieldErrorMessageTagHelper"/>,
/// its id made from the field's name) added to <c>aria-describedby</c> after any help text already there. A field without an
/// error is left as it is. <c>console.js</c> moves the focus to the first invalid field.
/// </summary>
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
public sealed class FieldErrorTagHelper : TagHelper
{
    /// <summary>The field.</summary>
    [HtmlAttributeName("asp-for")]
    public ModelExpression For { get; set; } = null!;

    /// <summary>The view, for its model state.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <summary>After the framework's input and select helpers, which write the field's id.</summary>
    public override int Order => 100;

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name);
        if (ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) is false || entry.Errors.Count == 0)
        {
            return;
        }

        var errorId = FieldErrorMessageTagHelper.ErrorIdOf(name);
        var described = output.Attributes.TryGetAttribute("aria-describedby", out var help) ? help.Value?.ToString() : null;
        output.Attributes.SetAttribute("aria-invalid", "true");
        output.Attributes.SetAttribute("aria-describedby", string.IsNullOrWhiteSpace(described) ? errorId : $"{described} {errorId}");
    }
}
