using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Lifecycle;
using Tollgate.Server.Storage;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.WebConsole.Versions;

namespace Tollgate.Server.WebConsole.Pages.PlanGroups;

/// <summary>
/// The environment's plan group through <see cref="PlanGroupService"/>: the plans offered and their order, the default
/// plan of new companies, the fallback plan, trial settings and the add-ons offered. An environment without one gets an
/// explanation and a form that creates it.
/// </summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class IndexModel(PlanGroupService groups, ResourceStore store, RuntimeRegistry runtimes) : ConsolePageModel
{
    /// <summary>The group (null: none yet).</summary>
    public PlanGroupRecord? Group { get; private set; }

    /// <summary>The catalog, for plan names.</summary>
    public CatalogSnapshot Catalog { get; private set; } = null!;

    /// <summary>Base plans (not custom ones), by name.</summary>
    public IReadOnlyList<PlanRecord> BasePlans { get; private set; } = [];

    /// <summary>Add-ons, by name.</summary>
    public IReadOnlyList<PlanRecord> AddOns { get; private set; } = [];

    /// <summary>The settings form.</summary>
    [BindProperty]
    public GroupInput Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (Group is { } g)
        {
            Input = new GroupInput
            {
                DefaultPlanId = g.InitialPlanId,
                FallbackPlanId = g.FallbackPlanId,
                TrialDays = g.TrialDays,
                TrialExpiryPlanId = g.TrialExpiryPlanId,
                TrialPaymentMethodRequired = g.TrialPaymentMethodRequired == true,
                OfferedPlanIds = [.. g.OrderedPlans.Select(p => p.PlanId)],
                AddOnIds = [.. g.AddOnIds],
            };
        }
        else
        {
            Input = new GroupInput { OfferedPlanIds = [.. BasePlans.Select(p => p.Id)] };
        }
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        var request = Apply(new PlanGroupRequest(), null);
        if (await TryAsync(() => groups.CreateAsync(Console.Scope, request, cancellationToken), Fields).ConfigureAwait(false))
        {
            SetFlash("Plan group created. New companies now start on the default plan.");
            return RedirectToPage();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (Group is not { } group)
        {
            return RedirectToPage();
        }

        var request = Apply(PlanGroupEdit.From(group), group);
        if (await TryAsync(() => groups.UpdateAsync(Console.Scope, group.Id, request, cancellationToken), Fields).ConfigureAwait(false))
        {
            SetFlash("Plan group saved.");
            return RedirectToPage();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostMoveAsync(string planId, int by, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (Group is not { } group)
        {
            return RedirectToPage();
        }

        var order = group.OrderedPlans.ToList();
        var at = order.FindIndex(p => p.PlanId == planId);
        var to = at + Math.Sign(by);
        if (at >= 0 && to >= 0 && to < order.Count)
        {
            (order[at], order[to]) = (order[to], order[at]);
            var request = PlanGroupEdit.From(group) with
            {
                OrderedPlans = [.. order.Select(p => new OrderedPlanRequest(p.PlanId, [.. p.Entitlements.Select(e => new EntitlementInPlanRequest(e.EntitlementId, e.Visible))]))],
            };
            if (!await TryAsync(() => groups.UpdateAsync(Console.Scope, group.Id, request, cancellationToken)).ConfigureAwait(false))
            {
                return Page();
            }

            SetFlash($"{NameOf(planId)} moved {(to < at ? "up" : "down")}: now number {to + 1} of {order.Count}.");
        }

        return RedirectToPage();
    }

    /// <summary>The plan's name, or its id if the catalog no longer has it.</summary>
    public string NameOf(string? planId) => planId is not null && Catalog.Plans.TryGetValue(planId, out var plan) ? plan.Name : planId ?? "None";

    /// <summary>The form's values over <paramref name="request"/>: offered plans keep their stored order, new ones go last.</summary>
    private PlanGroupRequest Apply(PlanGroupRequest request, PlanGroupRecord? before)
    {
        var offered = Input.OfferedPlanIds.Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var kept = (before?.OrderedPlans ?? []).Where(p => offered.Contains(p.PlanId)).ToList();
        var plans = kept.Select(p => new OrderedPlanRequest(p.PlanId, [.. p.Entitlements.Select(e => new EntitlementInPlanRequest(e.EntitlementId, e.Visible))]))
            .Concat(offered.Where(id => kept.All(k => k.PlanId != id)).Select(id => new OrderedPlanRequest(id, [])))
            .ToList();
        var addOns = Input.AddOnIds.Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var addOnOrder = (before?.OrderedAddOns ?? []).Where(a => addOns.Contains(a.PlanId)).Select(a => a.PlanId).Concat(addOns).Distinct(StringComparer.Ordinal);
        return request with
        {
            OrderedPlans = plans,
            AddOnIds = addOns,
            OrderedAddOns = [.. addOnOrder.Select(id => new OrderedPlanRequest(id, [.. (before?.OrderedAddOns.FirstOrDefault(a => a.PlanId == id)?.Entitlements ?? []).Select(e => new EntitlementInPlanRequest(e.EntitlementId, e.Visible))]))],
            InitialPlanId = Blank(Input.DefaultPlanId),
            DefaultPlanId = null,
            FallbackPlanId = Blank(Input.FallbackPlanId),
            TrialDays = Input.TrialDays,
            TrialExpiryPlanId = Blank(Input.TrialExpiryPlanId),
            TrialPaymentMethodRequired = Input.TrialPaymentMethodRequired,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Catalog = await runtimes.For(Console.Scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        // From the store, not the snapshot: the page after a save shows the save even before the change feed is heard.
        Group = await PlanGroupStore.GetAsync(store, Console.Scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        BasePlans = [.. Catalog.Plans.Values.Where(p => p.PlanType == PlanType.Plan && p.CompanyId is null).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
        AddOns = [.. Catalog.Plans.Values.Where(p => p.PlanType == PlanType.AddOn && p.CompanyId is null).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
    }

    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["initial_plan_id"] = "Input.DefaultPlanId",
        ["default_plan_id"] = "Input.DefaultPlanId",
        ["fallback_plan_id"] = "Input.FallbackPlanId",
        ["trial_days"] = "Input.TrialDays",
        ["trial_expiry_plan_id"] = "Input.TrialExpiryPlanId",
    };

    /// <summary>The plan group form.</summary>
    public sealed class GroupInput
    {
        /// <summary>The plan new companies start on.</summary>
        public string? DefaultPlanId { get; set; }

        /// <summary>The plan a company falls back to when its subscription ends.</summary>
        public string? FallbackPlanId { get; set; }

        /// <summary>Trial length in days (empty: no trials).</summary>
        public int? TrialDays { get; set; }

        /// <summary>The plan after an unconverted trial (empty: the fallback plan).</summary>
        public string? TrialExpiryPlanId { get; set; }

        /// <summary>Whether a trial needs a payment method.</summary>
        public bool TrialPaymentMethodRequired { get; set; }

        /// <summary>Base plans offered.</summary>
        public List<string> OfferedPlanIds { get; set; } = [];

        /// <summary>Add-ons offered.</summary>
        public List<string> AddOnIds { get; set; } = [];
    }
}
