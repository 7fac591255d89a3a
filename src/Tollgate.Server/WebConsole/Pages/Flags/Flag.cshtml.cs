using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Flags;

/// <summary>
/// One flag: its own rules in the order checks try them (reordered, removed and edited here, through the same
/// <see cref="FeatureService.UpdateRulesAsync"/> as <c>PUT /flags/{id}/rules</c>), and the rules its feature's plan
/// entitlements add.
/// </summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class FlagModel(FeatureService features, RuntimeRegistry runtimes) : ConsolePageModel
{
    /// <summary>The flag's id.</summary>
    [BindProperty(SupportsGet = true)]
    public string FlagId { get; set; } = string.Empty;

    /// <summary>The flag.</summary>
    public FlagRecord Flag { get; private set; } = null!;

    /// <summary>Its feature, if it has one.</summary>
    public FeatureRecord? Feature { get; private set; }

    /// <summary>Its own rules, in the order checks try them.</summary>
    public IReadOnlyList<FlagRuleRecord> Rules { get; private set; } = [];

    /// <summary>The plans granting its feature: plan, version and what each grants.</summary>
    public IReadOnlyList<(string Plan, string Version, string Status, string Grant)> Grants { get; private set; } = [];

    /// <summary>Conditions in words.</summary>
    internal CatalogSnapshot Catalog { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

    /// <summary>Moves a targeting rule one place up or down: standard rules are renumbered 1, 2, 3… in the new order.</summary>
    public async Task<IActionResult> OnPostMoveAsync(string ruleId, string direction, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        var standard = Rules.Where(r => r.RuleType == "standard").ToList();
        var index = standard.FindIndex(r => r.Id == ruleId);
        var target = direction == "up" ? index - 1 : index + 1;
        if (index < 0 || target < 0 || target >= standard.Count)
        {
            return RedirectToPage();
        }

        (standard[index], standard[target]) = (standard[target], standard[index]);
        var priorities = standard.Select((r, i) => (r.Id, Priority: (long)(i + 1))).ToDictionary(p => p.Id, p => p.Priority, StringComparer.Ordinal);
        var rules = Flag.Rules.Select(r => priorities.TryGetValue(r.Id, out var p) ? r with { Priority = p } : r);
        return await SaveAsync(rules, $"“{standard[target].Name}” moved {direction}.", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a rule.</summary>
    public async Task<IActionResult> OnPostRemoveAsync(string ruleId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        var removed = Flag.Rules.FirstOrDefault(r => r.Id == ruleId);
        return removed is null
            ? RedirectToPage()
            : await SaveAsync(Flag.Rules.Where(r => r.Id != ruleId), $"Rule “{removed.Name}” removed.", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The order checks try a flag's own rules in: global overrides, targeting rules by priority (ties in list order), defaults.</summary>
    internal static IReadOnlyList<FlagRuleRecord> InCheckOrder(IReadOnlyList<FlagRuleRecord> rules) =>
        [.. rules.Where(r => r.RuleType == "global_override"),
            .. rules.Where(r => r.RuleType is not ("global_override" or "default")).OrderBy(r => r.Priority),
            .. rules.Where(r => r.RuleType == "default")];

    private async Task<IActionResult> SaveAsync(IEnumerable<FlagRuleRecord> rules, string done, CancellationToken cancellationToken)
    {
        var request = new FlagRulesRequest([.. rules.Select(RuleInput.ToRequest)]);
        if (await TryAsync(() => features.UpdateRulesAsync(Console.Scope, FlagId, request, cancellationToken)).ConfigureAwait(false))
        {
            SetFlash(done);
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Flag = await features.GetFlagAsync(Console.Scope, FlagId, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestException e) when (e.StatusCode == StatusCodes.Status404NotFound)
        {
            return false;
        }

        Catalog = await runtimes.For(Console.Scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        Feature = Flag.FeatureId is { } featureId ? Catalog.Features.GetValueOrDefault(featureId) : null;
        Rules = InCheckOrder(Flag.Rules);
        Grants = Feature is not null && Catalog.EntitlementsByFeature.TryGetValue(Feature.Id, out var entitlements)
            ? [.. entitlements
                .Select(e => (Entitlement: e, Plan: Catalog.Plans.GetValueOrDefault(e.PlanId), Version: Catalog.VersionsById.GetValueOrDefault(Catalog.VersionIdOf(e))))
                .Where(g => g.Plan is not null && g.Version is not null)
                .OrderBy(g => g.Plan!.Name, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Version!.Version)
                .Select(g => (g.Plan!.Name, $"v{g.Version!.Version}", g.Version.Status.ToString().ToLowerInvariant(), FlagText.Grant(g.Entitlement, Catalog)))]
            : [];
        return true;
    }
}
