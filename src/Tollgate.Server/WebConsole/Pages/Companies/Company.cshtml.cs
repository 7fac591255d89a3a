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
/// <remarks>
/// The areas' services are internal to the server, and a page model is public: they are resolved from
/// <paramref name="services"/> rather than named in a public constructor.
/// </remarks>
[ConsoleWrites(ConsoleArea.Companies)]
public sealed class CompanyModel(IServiceProvider services) : ConsolePageModel
{
    private static readonly Dictionary<string, string> PlanFields = new(StringComparer.Ordinal) { ["base_plan_id"] = "Plan.BasePlanId", ["add_on_ids"] = "Plan.AddOnIds" };
    private static readonly Dictionary<string, string> TrialFields = new(StringComparer.Ordinal) { ["plan_id"] = "Trial.PlanId", ["trial_days"] = "Trial.Days", ["trial_end"] = "Trial.Days" };
    private static readonly Dictionary<string, string> OverrideFields = new(StringComparer.Ordinal)
    {
        ["feature_id"] = "Override.FeatureId", ["value_type"] = "Override.ValueType", ["value_numeric"] = "Override.ValueNumeric",
        ["value_bool"] = "Override.ValueType", ["metric_period"] = "Override.MetricPeriod", ["expiration_date"] = "Override.ExpiresAt", ["note"] = "Override.Note",
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
            () => Service<CompanyService>().SetPlansAsync(Console.Scope, Id, new CompanyPlansRequest(Blank(Plan.BasePlanId), Plan.AddOnIds.Where(a => !string.IsNullOrWhiteSpace(a)).ToList()), cancellationToken),
            PlanFields,
            "Plan changed.",
            cancellationToken);

    public Task<IActionResult> OnPostTrialAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            () => Service<TrialService>().StartAsync(Console.Scope, Id, new StartTrialRequest(Blank(Trial.PlanId), null, Trial.Days, null), cancellationToken),
            TrialFields,
            "Trial started.",
            cancellationToken);

    public Task<IActionResult> OnPostOverrideAsync(CancellationToken cancellationToken)
    {
        var o = Override;
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
            o.ExpiresAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null,
            Blank(o.Note));
        return WriteAsync(() => Service<OverrideService>().CreateAsync(Console.Scope, request, cancellationToken), OverrideFields, "Override added.", cancellationToken);
    }

    public Task<IActionResult> OnPostEndOverrideAsync(string overrideId, CancellationToken cancellationToken) =>
        WriteAsync(() => Service<OverrideService>().DeleteAsync(Console.Scope, overrideId, cancellationToken), null, "Override ended.", cancellationToken);

    public Task<IActionResult> OnPostCreditsAsync(CancellationToken cancellationToken)
    {
        var g = Grant;
        var request = new CompanyGrantRequest(
            Id, Blank(g.CreditId), g.Quantity, Blank(g.Kind), g.ExpiresAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null, null, null, null, Blank(g.Note));
        return WriteAsync(() => Service<CreditService>().GrantAsync(Console.Scope, request, cancellationToken), GrantFields, "Credits granted.", cancellationToken);
    }

    private async Task<IActionResult> WriteAsync<T>(Func<Task<T>> write, IReadOnlyDictionary<string, string>? fields, string done, CancellationToken cancellationToken)
    {
        if (await TryAsync(write, fields).ConfigureAwait(false))
        {
            SetFlash(done);
            return RedirectToPage(new { id = Id, granularity = Granularity });
        }

        return await LoadAsync(cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reader = ActivatorUtilities.CreateInstance<CompanyOverviewReader>(services);
            View = await reader.ReadAsync(Console.Scope, Id, Buckets, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Requests.RequestException e) when (e.StatusCode == StatusCodes.Status404NotFound)
        {
            return false;
        }
    }

    private T Service<T>()
        where T : notnull => services.GetRequiredService<T>();

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
