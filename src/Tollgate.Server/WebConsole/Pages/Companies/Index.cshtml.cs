using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;

namespace Tollgate.Server.WebConsole.Pages.Companies;

/// <summary>
/// The companies list: search, filters (plan, over or near a limit, trialing, overrides), sortable columns and pages,
/// all answered in SQL by <see cref="CompanyDirectory"/>. Every state is in the query string, so a filtered view can be
/// bookmarked, shared and reloaded; the form works without script, and htmx swaps only the results when it is there.
/// </summary>
internal sealed class IndexModel(RuntimeRegistry runtimes, CompanyDirectory directory) : ConsolePageModel
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 25;

    /// <summary>The search text.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    /// <summary>The plan filter (a plan id).</summary>
    [BindProperty(SupportsGet = true, Name = "plan")]
    public string? Plan { get; set; }

    /// <summary>Only companies over a limit.</summary>
    [BindProperty(SupportsGet = true, Name = "over")]
    public bool Over { get; set; }

    /// <summary>Only companies near a limit.</summary>
    [BindProperty(SupportsGet = true, Name = "near")]
    public bool Near { get; set; }

    /// <summary>Only companies trialing.</summary>
    [BindProperty(SupportsGet = true, Name = "trialing")]
    public bool Trialing { get; set; }

    /// <summary>Only companies with active overrides.</summary>
    [BindProperty(SupportsGet = true, Name = "overrides")]
    public bool Overrides { get; set; }

    /// <summary><c>name</c>, <c>created</c> or <c>usage</c>.</summary>
    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    [BindProperty(SupportsGet = true, Name = "dir")]
    public string? Dir { get; set; }

    /// <summary>The page number, from 1 (<c>p</c>: Razor Pages keeps <c>page</c> for itself).</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The page of companies found.</summary>
    public CompanyDirectoryPage Result { get; private set; } = new([], 0, 1, PageSize);

    /// <summary>The plans to filter by: base plans, then add-ons, by name.</summary>
    public IReadOnlyList<PlanRecord> Plans { get; private set; } = [];

    /// <summary>Whether the environment has no company at all (the empty state then explains where companies come from).</summary>
    public bool NoCompaniesAtAll { get; private set; }

    /// <summary>Whether any filter or search is applied.</summary>
    public bool Filtered => !string.IsNullOrWhiteSpace(Q) || Plan is not null || Over || Near || Trialing || Overrides;

    /// <summary>The sort in effect: the one asked for, else by usage when a limit filter is on (most urgent first), else by name.</summary>
    public CompanyDirectorySort SortBy => Sort switch
    {
        "created" => CompanyDirectorySort.Created,
        "usage" => CompanyDirectorySort.UsageRatio,
        "name" => CompanyDirectorySort.Name,
        _ when Over || Near => CompanyDirectorySort.UsageRatio,
        _ => CompanyDirectorySort.Name,
    };

    /// <summary>Whether the sort runs descending: as asked, else for usage and creation (largest and newest first).</summary>
    public bool Descending => Dir switch
    {
        "asc" => false,
        "desc" => true,
        _ => SortBy != CompanyDirectorySort.Name,
    };

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        Plans = [.. catalog.Plans.Values.Where(p => p.CompanyId is null).OrderBy(p => p.PlanType).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
        if (Plan is { Length: 0 })
        {
            Plan = null;
        }

        var query = new CompanyDirectoryQuery
        {
            Q = Q,
            PlanId = Plan,
            OverLimit = Over,
            NearLimit = Near,
            Trialing = Trialing,
            HasOverrides = Overrides,
            Sort = SortBy,
            Descending = Descending,
            Page = Math.Max(1, PageNumber),
            PageSize = PageSize,
        };
        try
        {
            Result = await directory.FindAsync(Console.Scope, query, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestException e)
        {
            // A stale link (a plan since deleted): say so next to the filter and show every company instead.
            AddError(e.Message, new Dictionary<string, string>(StringComparer.Ordinal) { ["plan_id"] = "plan" });
            Plan = null;
            Result = await directory.FindAsync(Console.Scope, query with { PlanId = null }, cancellationToken).ConfigureAwait(false);
        }

        NoCompaniesAtAll = Result.Total == 0 && !Filtered;
    }

    /// <summary>This list's URL with some parameters changed (null removes one); any change but the page goes back to page 1.</summary>
    public string Link(IReadOnlyDictionary<string, string?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var values = new List<KeyValuePair<string, string?>>
        {
            new("q", string.IsNullOrWhiteSpace(Q) ? null : Q.Trim()),
            new("plan", Plan),
            new("over", Over ? "true" : null),
            new("near", Near ? "true" : null),
            new("trialing", Trialing ? "true" : null),
            new("overrides", Overrides ? "true" : null),
            new("sort", Sort),
            new("dir", Dir),
            new("p", changes.ContainsKey("p") ? null : PageNumber > 1 ? PageNumber.ToString(CultureInfo.InvariantCulture) : null),
        };
        var query = values
            .Select(v => changes.TryGetValue(v.Key, out var changed) ? new KeyValuePair<string, string?>(v.Key, changed) : v)
            .Where(v => v.Value is not null && !(v.Key == "p" && v.Value == "1"))
            .Select(v => $"{v.Key}={Uri.EscapeDataString(v.Value!)}");
        var text = string.Join('&', query);
        return text.Length == 0 ? "/console/companies" : "/console/companies?" + text;
    }

    /// <summary>The link of a column header: sorts by it, or flips the direction when it already sorts.</summary>
    public string SortLink(CompanyDirectorySort column)
    {
        var name = column switch
        {
            CompanyDirectorySort.Created => "created",
            CompanyDirectorySort.UsageRatio => "usage",
            _ => "name",
        };
        var descending = SortBy == column ? !Descending : column != CompanyDirectorySort.Name;
        return Link(new Dictionary<string, string?>(StringComparer.Ordinal) { ["sort"] = name, ["dir"] = descending ? "desc" : "asc", ["p"] = null });
    }

    /// <summary>The <c>aria-sort</c> of a column header, or null when it does not sort.</summary>
    public string? AriaSort(CompanyDirectorySort column) => SortBy == column ? (Descending ? "descending" : "ascending") : null;

    /// <summary>The link of a page.</summary>
    public string PageLink(int page) =>
        Link(new Dictionary<string, string?>(StringComparer.Ordinal) { ["p"] = page.ToString(CultureInfo.InvariantCulture) });

    /// <summary>The link that clears every filter and the search, keeping the sort.</summary>
    public string ClearLink => Link(new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["q"] = null, ["plan"] = null, ["over"] = null, ["near"] = null, ["trialing"] = null, ["overrides"] = null, ["p"] = null,
    });
}
