using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Credits;
using Tollgate.Server.Evaluation;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Credits;

/// <summary>Credit types (create, rename, describe) and plan credit grants (create, delete), through the credit services the API uses.</summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class IndexModel(CreditTypeService creditTypes, PlanCreditGrantService planGrants, RuntimeRegistry runtimes) : ConsolePageModel
{
    /// <summary>Credit types, by name.</summary>
    public IReadOnlyList<CreditTypeRecord> Types { get; private set; } = [];

    /// <summary>Plan credit grants.</summary>
    public IReadOnlyList<PlanCreditGrantRecord> Grants { get; private set; } = [];

    /// <summary>The catalog, for plans and versions.</summary>
    public CatalogSnapshot Catalog { get; private set; } = null!;

    /// <summary>The new credit type form.</summary>
    [BindProperty]
    public TypeInput NewType { get; set; } = new();

    /// <summary>The new plan grant form.</summary>
    [BindProperty]
    public GrantInput NewGrant { get; set; } = new();

    /// <summary>Reset cadences a grant may have.</summary>
    public static IReadOnlyList<string> Cadences { get; } = [.. CreditPeriods.Cadences.Select(c => c.Name)];

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateTypeAsync(CancellationToken cancellationToken)
    {
        var request = new CreditTypeRequest(NewType.Name, NewType.Description, null, NewType.SingularName, NewType.PluralName, null, NewType.PerUnitPrice, null, null, null, null);
        if (await TryAsync(() => creditTypes.CreateAsync(Console.Scope, request, cancellationToken), TypeFields).ConfigureAwait(false))
        {
            SetFlash($"Credit type {NewType.Name?.Trim()} created.");
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateTypeAsync(string creditId, string? name, string? description, CancellationToken cancellationToken)
    {
        var request = new CreditTypeRequest(name, description, null, null, null, null, null, null, null, null, null);
        if (await TryAsync(() => creditTypes.UpdateAsync(Console.Scope, creditId, request, cancellationToken)).ConfigureAwait(false))
        {
            SetFlash("Credit type saved.");
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateGrantAsync(CancellationToken cancellationToken)
    {
        var request = new PlanCreditGrantRequest(
            NewGrant.PlanId, null, NewGrant.CreditId, NewGrant.CreditAmount, NewGrant.ResetCadence, null, null, NewGrant.Postpaid, null, ApplyToExisting: true);
        if (await TryAsync(() => planGrants.CreateAsync(Console.Scope, request, cancellationToken), GrantFields).ConfigureAwait(false))
        {
            SetFlash("Plan credit grant created; companies on the plan receive it.");
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteGrantAsync(string grantId, CancellationToken cancellationToken)
    {
        if (await TryAsync(() => planGrants.DeleteAsync(Console.Scope, grantId, cancellationToken)).ConfigureAwait(false))
        {
            SetFlash("Plan credit grant deleted.");
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    /// <summary>The plan's name.</summary>
    public string PlanName(string planId) => Catalog.Plans.TryGetValue(planId, out var plan) ? plan.Name : planId;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Catalog = await runtimes.For(Console.Scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        Types = [.. (await creditTypes.ListAsync(Console.Scope.EnvironmentId, null, cancellationToken).ConfigureAwait(false)).OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
        Grants = await planGrants.ListAsync(Console.Scope, null, null, cancellationToken).ConfigureAwait(false);
    }

    private static readonly IReadOnlyDictionary<string, string> TypeFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "NewType.Name",
        ["description"] = "NewType.Description",
        ["singular_name"] = "NewType.SingularName",
        ["plural_name"] = "NewType.PluralName",
        ["per_unit_price"] = "NewType.PerUnitPrice",
    };

    private static readonly IReadOnlyDictionary<string, string> GrantFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["plan_id"] = "NewGrant.PlanId",
        ["credit_id"] = "NewGrant.CreditId",
        ["credit_amount"] = "NewGrant.CreditAmount",
        ["reset_cadence"] = "NewGrant.ResetCadence",
    };

    /// <summary>A new credit type.</summary>
    public sealed class TypeInput
    {
        public string? Name { get; set; }

        public string? Description { get; set; }

        public string? SingularName { get; set; }

        public string? PluralName { get; set; }

        public double? PerUnitPrice { get; set; }
    }

    /// <summary>A new plan credit grant.</summary>
    public sealed class GrantInput
    {
        public string? PlanId { get; set; }

        public string? CreditId { get; set; }

        public double? CreditAmount { get; set; }

        public string? ResetCadence { get; set; } = "monthly";

        public bool Postpaid { get; set; }
    }
}
