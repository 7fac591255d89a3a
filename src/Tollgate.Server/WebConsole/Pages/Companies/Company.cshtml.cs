using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Lifecycle;
using Tollgate.Server.Usage;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.WebConsole.CompanyPage;

namespace Tollgate.Server.WebConsole.Pages.Companies;

/// <summary>
/// One company: plan, trial and subscription, traits and users, usage against limit for every metered feature, overrides,
/// credits and audit trail; and the support actions (plan, trial, override, credits) through the API's own services.
/// </summary>
[ConsoleWrites(ConsoleArea.Companies)]
internal sealed class CompanyModel(
    CompanyOverviewReader reader, CompanyService companies, TrialService trials, OverrideService overrides, CreditService credits, TimeProvider time) : ConsolePageModel
{
    /// <summary>The override form's ready-made lengths, in days: a person picks one instead of computing a date.</summary>
    public static readonly IReadOnlyList<int> ExpiryPresets = [7, 14, 30];

    private static readonly Dictionary<string, string> PlanFields = new(StringComparer.Ordinal) { ["base_plan_id"] = "Plan.BasePlanId", ["add_on_ids"] = "Plan.AddOnIds" };
    private static readonly Dictionary<string, string> TrialFields = new(StringComparer.Ordinal) { ["plan_id"] = "Trial.PlanId", ["trial_days"] = "Trial.Days", ["trial_end"] = "Trial.Days" };
    private static readonly Dictionary<string, string> OverrideFields = new(StringComparer.Ordinal)
    {
        ["feature_id"] = "Override.FeatureId", ["value_type"] = "Override.ValueType", ["value_numeric"] = "Override.ValueNumeric",
        ["value_bool"] = "Override.ValueType", ["metric_period"] = "Override.MetricPeriod", ["expiration_date"] = "Override.Ends", ["note"] = "Override.Note",
    };

    private static readonly Dictionary<string, string> GrantFields = new(StringComparer.Ordinal)
    {
        ["credit_id"] = "Grant.CreditId", ["quantity"] = "Grant.Quantity", ["expires_at"] = "Grant.ExpiresAt", ["reason"] = "Grant.Kind", ["note"] = "Grant.Note",
    };

    /// <summary>The company id from the route.</summary>
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    /// <summary>The chart buckets: day, week or month.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Granularity { get; set; }

    /// <summary>What the page shows (null when the company does not exist).</summary>
    public CompanyOverview? View { get; private set; }

    /// <summary>The chosen bucket width.</summary>
    public UsageGranularity Buckets => Granularity switch
    {
        "day" => UsageGranularity.Day,
        "week" => UsageGranularity.Week,
        _ => UsageGranularity.Month,
    };

    /// <summary>The plan change form.</summary>
    [BindProperty]
    public PlanInput Plan { get; set; } = new();

    /// <summary>The start-a-trial form.</summary>
    [BindProperty]
    public TrialInput Trial { get; set; } = new();

    /// <summary>The new-override form.</summary>
    [BindProperty]
    public OverrideInput Override { get; set; } = new();

    /// <summary>The credit grant form.</summary>
    [BindProperty]
    public GrantInput Grant { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        Plan = new PlanInput { BasePlanId = View!.Company.BasePlanId, AddOnIds = [.. View.Company.AddOnIds] };
        return Page();
    }

    public Task<IActionResult> OnPostPlanAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            () => companies.SetPlansAsync(Console.Scope, Id, new CompanyPlansRequest(Blank(Plan.BasePlanId), Plan.AddOnIds.Where(a => !string.IsNullOrWhiteSpace(a)).ToList()), cancellationToken),
            PlanFields,
            "Plan changed.",
            cancellationToken);

    public Task<IActionResult> OnPostTrialAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            () => trials.StartAsync(Console.Scope, Id, new StartTrialRequest(Blank(Trial.PlanId), null, Trial.Days, null), cancellationToken),
            TrialFields,
            "Trial started.",
            cancellationToken);

    public Task<IActionResult> OnPostOverrideAsync(CancellationToken cancellationToken)
    {
        var o = Override;
        if (!TryExpiry(o, out var expiresAt))
        {
            // As for a value the service refuses (ConsolePageModel.TryAsync): the form again, with its error, as 422.
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return RedisplayAsync(cancellationToken);
        }

        var request = new GrantRequest(
            null,
            Id,
            Blank(o.FeatureId),
            o.ValueType is "on" or "off" ? "boolean" : o.ValueType,
            o.ValueType switch { "on" => true, "off" => false, _ => null },
            o.ValueType == "numeric" ? o.ValueNumeric : null,
            null,
            null,
            null,
            o.ValueType == "numeric" ? Blank(o.MetricPeriod) : null,
            null,
            null,
            null,
            expiresAt,
            Blank(o.Note));
        return WriteAsync(() => overrides.CreateAsync(Console.Scope, request, cancellationToken), OverrideFields, "Override added.", cancellationToken);
    }

    public Task<IActionResult> OnPostEndOverrideAsync(string overrideId, CancellationToken cancellationToken) =>
        WriteAsync(() => overrides.DeleteAsync(Console.Scope, overrideId, cancellationToken), null, "Override ended.", cancellationToken);

    public Task<IActionResult> OnPostCreditsAsync(CancellationToken cancellationToken)
    {
        var g = Grant;
        var request = new CompanyGrantRequest(
            Id, Blank(g.CreditId), g.Quantity, Blank(g.Kind), g.ExpiresAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null, null, null, null, Blank(g.Note));
        return WriteAsync(() => credits.GrantAsync(Console.Scope, request, cancellationToken), GrantFields, "Credits granted.", cancellationToken);
    }

    private async Task<IActionResult> WriteAsync<T>(Func<Task<T>> write, IReadOnlyDictionary<string, string>? fields, string done, CancellationToken cancellationToken)
    {
        if (await TryAsync(write, fields).ConfigureAwait(false))
        {
            SetFlash(done);
            return RedirectToPage(new { id = Id, granularity = Granularity });
        }

        return await RedisplayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The page again with the posted forms and their errors (no redirect).</summary>
    private async Task<IActionResult> RedisplayAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

    /// <summary>
    /// The override's end: none, a preset number of days from now (the server's clock, so a person never computes a
    /// date), or the date given. False, with the error next to the field, when "on a date" has no date.
    /// </summary>
    private bool TryExpiry(OverrideInput input, out DateTimeOffset? expiresAt)
    {
        expiresAt = null;
        switch (input.Ends)
        {
            case null or "" or "never":
                return true;
            case "date" when input.ExpiresAt is { } at:
                expiresAt = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
                return true;
            case "date":
                ModelState.AddModelError("Override.ExpiresAt", "Choose the date and time the override ends.");
                return false;
            default:
                if (int.TryParse(input.Ends, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) && ExpiryPresets.Contains(days))
                {
                    expiresAt = time.GetUtcNow().AddDays(days);
                    return true;
                }

                ModelState.AddModelError("Override.Ends", "Choose when the override ends.");
                return false;
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            View = await reader.ReadAsync(Console.Scope, Id, Buckets, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Requests.RequestException e) when (e.StatusCode == StatusCodes.Status404NotFound)
        {
            return false;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Base plan and add-ons.</summary>
    public sealed class PlanInput
    {
        public string? BasePlanId { get; set; }

        public List<string> AddOnIds { get; set; } = [];
    }

    /// <summary>A trial of a plan for a number of days (the plan group's trial length when empty).</summary>
    public sealed class TrialInput
    {
        public string? PlanId { get; set; }

        public int? Days { get; set; }
    }

    /// <summary>An override: a feature, its value (on, off, a limit, unlimited), an expiry (UTC) and a note.</summary>
    public sealed class OverrideInput
    {
        public string? FeatureId { get; set; }

        public string? ValueType { get; set; } = "on";

        public long? ValueNumeric { get; set; }

        public string? MetricPeriod { get; set; } = "current_month";

        /// <summary><c>never</c>, a preset number of days (<see cref="ExpiryPresets"/>), or <c>date</c> (then <see cref="ExpiresAt"/>).</summary>
        public string? Ends { get; set; } = "never";

        public DateTime? ExpiresAt { get; set; }

        public string? Note { get; set; }
    }

    /// <summary>Free credits for the company.</summary>
    public sealed class GrantInput
    {
        public string? CreditId { get; set; }

        public double? Quantity { get; set; }

        public DateTime? ExpiresAt { get; set; }

        public string? Kind { get; set; } = "free";

        public string? Note { get; set; }
    }
}
