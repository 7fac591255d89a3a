namespace Tollgate.Server.Catalog;

/// <summary>A short reference to a plan (Schematic's <c>PreviewObject</c> / <c>GenericPreviewObject</c>).</summary>
public sealed record PreviewResponse(string Id, string Name, string Description, string? ImageUrl)
{
    /// <summary>The preview of a plan.</summary>
    public static PreviewResponse Of(PlanRecord plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(plan.Id, plan.Name, plan.Description ?? string.Empty, null);
    }
}
