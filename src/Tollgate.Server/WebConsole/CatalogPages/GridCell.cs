using Tollgate.Server.Catalog;

namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>One cell of the entitlement grid: what <see cref="Plan"/>'s published version grants of <see cref="Feature"/>.</summary>
public sealed record GridCell(PlanRecord Plan, FeatureRecord Feature, PlanEntitlementRecord? Entitlement, bool CanWrite, Func<string, string> TraitName, Func<string, string> CreditName)
{
    /// <summary>Whether the cell was just saved (it flashes once so the eye finds it).</summary>
    public bool JustSaved { get; init; }

    /// <summary>The element id of the cell.</summary>
    public string ElementId => $"cell-{Plan.Id}-{Feature.Id}";

    /// <summary>The grid handler URL of the cell (<paramref name="handler"/>: Cell, Edit, Save, Remove).</summary>
    public string HandlerUrl(string handler) =>
        $"/console/plans/grid?handler={handler}&plan={Uri.EscapeDataString(Plan.Id)}&feature={Uri.EscapeDataString(Feature.Id)}";

    /// <summary>The entitlement page of the cell (the editor without script).</summary>
    public string PageUrl => $"/console/plans/{Plan.Id}/features/{Feature.Id}?from=grid";
}
