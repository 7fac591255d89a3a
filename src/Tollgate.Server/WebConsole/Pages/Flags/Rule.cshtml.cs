using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Flags;

/// <summary>
/// The rules editor for one rule of a flag (or a new one): name, type, value, conditions and condition groups. Adding
/// or removing a condition re-renders the form without saving; Save replaces the flag's rules through
/// <see cref="FeatureService.UpdateRulesAsync"/> (what <c>PUT /flags/{id}/rules</c> calls), and an error it names
/// shows beside its field.
/// </summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class RuleModel(FeatureService features, RuntimeRegistry runtimes) : ConsolePageModel
{
    /// <summary>The flag's id.</summary>
    [BindProperty(SupportsGet = true)]
    public string FlagId { get; set; } = string.Empty;

    /// <summary>The rule's id, or <c>new</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public string RuleId { get; set; } = "new";

    /// <summary>The rule being edited.</summary>
    [BindProperty]
    public RuleInput Rule { get; set; } = new();

    /// <summary>The flag.</summary>
    public FlagRecord Flag { get; private set; } = null!;

    /// <summary>The catalog, for plans, versions and traits to choose from.</summary>
    internal CatalogSnapshot Catalog { get; private set; } = null!;

    /// <summary>Whether this is a new rule.</summary>
    public bool IsNew => RuleId == "new";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        if (IsNew)
        {
            var last = Flag.Rules.Where(r => r.RuleType == "standard").Select(r => r.Priority).DefaultIfEmpty(0).Max();
            Rule = new RuleInput { Priority = last + 1, Conditions = [new ConditionInput()] };
            return Page();
        }

        var rule = Flag.Rules.FirstOrDefault(r => r.Id == RuleId);
        if (rule is null)
        {
            return NotFound();
        }

        Rule = RuleInput.From(rule);
        return Page();
    }

    /// <summary>Adds or removes a condition or group, or shows the fields of a changed condition type; saves nothing.</summary>
    public async Task<IActionResult> OnPostEditAsync(string? op, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        var parts = (op ?? "refresh").Split(':');
        int At(int i) => parts.Length > i && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        switch (parts[0])
        {
            case "add-condition":
                Rule.Conditions.Add(new ConditionInput());
                break;
            case "remove-condition" when At(1) is var i && i >= 0 && i < Rule.Conditions.Count:
                Rule.Conditions.RemoveAt(i);
                break;
            case "add-group":
                Rule.ConditionGroups.Add(new ConditionGroupInput { Conditions = [new ConditionInput(), new ConditionInput()] });
                break;
            case "remove-group" when At(1) is var g && g >= 0 && g < Rule.ConditionGroups.Count:
                Rule.ConditionGroups.RemoveAt(g);
                break;
            case "add-group-condition" when At(1) is var g && g >= 0 && g < Rule.ConditionGroups.Count:
                Rule.ConditionGroups[g].Conditions.Add(new ConditionInput());
                break;
            case "remove-group-condition" when At(1) is var g && g >= 0 && g < Rule.ConditionGroups.Count && At(2) is var j && j >= 0 && j < Rule.ConditionGroups[g].Conditions.Count:
                Rule.ConditionGroups[g].Conditions.RemoveAt(j);
                break;
            default:
                break;
        }

        // The form is shown again from the model just changed, not from the posted values.
        ModelState.Clear();
        return Page();
    }

    /// <summary>Saves the rule into the flag's rules.</summary>
    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        var rules = Flag.Rules.Select(RuleInput.ToRequest).ToList();
        var index = IsNew ? -1 : Flag.Rules.ToList().FindIndex(r => r.Id == RuleId);
        Rule.Id = IsNew ? null : RuleId;
        if (index < 0)
        {
            rules.Add(Rule.ToRequest());
            index = rules.Count - 1;
        }
        else
        {
            rules[index] = Rule.ToRequest();
        }

        try
        {
            await features.UpdateRulesAsync(Console.Scope, FlagId, new FlagRulesRequest(rules), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestException e) when (e.StatusCode is >= 400 and < 500)
        {
            var colon = e.Message.IndexOf(": ", StringComparison.Ordinal);
            var field = colon > 0 ? RuleFormFields.FormField(e.Message[..colon], index, nameof(Rule)) : null;
            ModelState.AddModelError(field ?? string.Empty, field is null ? e.Message : e.Message[(colon + 2)..]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        SetFlash(IsNew ? $"Rule “{Rule.Name?.Trim()}” added." : $"Rule “{Rule.Name?.Trim()}” saved.");
        return RedirectToPage("Flag", new { flagId = FlagId });
    }

    /// <summary>The error shown beside a form field, if any.</summary>
    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    /// <summary>The plans to choose from (plan and base plan conditions).</summary>
    public IEnumerable<(string Id, string Label)> PlanChoices =>
        Catalog.Plans.Values.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(p => (p.Id, p.PlanType == PlanType.AddOn ? $"{p.Name} (add-on)" : p.Name));

    /// <summary>The plan versions to choose from.</summary>
    public IEnumerable<(string Id, string Label)> VersionChoices =>
        Catalog.VersionsById.Values.Where(v => Catalog.Plans.ContainsKey(v.PlanId))
            .OrderBy(v => Catalog.Plans[v.PlanId].Name, StringComparer.OrdinalIgnoreCase).ThenBy(v => v.Version)
            .Select(v => (v.Id, $"{Catalog.Plans[v.PlanId].Name} v{v.Version} ({v.Status.ToString().ToLowerInvariant()})"));

    /// <summary>The traits to choose from.</summary>
    public IEnumerable<(string Id, string Label)> TraitChoices =>
        Catalog.TraitsById.Values.OrderBy(t => t.EntityType).ThenBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
            .Select(t => (t.Id, $"{(t.EntityType == Engine.Model.EntityType.User ? "User" : "Company")} · {t.Name} ({t.ComparableType.ToString().ToLowerInvariant()})"));

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
        return true;
    }

    /// <summary>The model of one condition's fields.</summary>
    public sealed record ConditionFields(ConditionInput Condition, string Prefix, string RemoveOp, RuleModel Page)
    {
        /// <summary>An element id from the field name.</summary>
        public string IdOf(string field) => (Prefix + "." + field).Replace('.', '-').Replace('[', '-').Replace("]", string.Empty, StringComparison.Ordinal);
    }
}
