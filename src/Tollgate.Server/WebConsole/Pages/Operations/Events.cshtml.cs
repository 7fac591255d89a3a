using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.WebConsole.Pages.Operations;

/// <summary>
/// The live tail: the environment's newest events from the event log (the same <see cref="EventLog.ListAsync"/> as
/// <c>GET /events</c>, newest first, paged in SQL), filtered by type, subtype and company. An htmx poller asks every
/// two seconds for the rows after the newest one shown and puts only those on top.
/// </summary>
public sealed class EventsModel(EventLog log, ResourceStore store) : ConsolePageModel
{
    /// <summary>Rows on a page (and the most one poll brings).</summary>
    public const int PageSize = 50;

    /// <summary>The event types a filter can name.</summary>
    public static readonly IReadOnlyList<string> Types = ["track", "identify", "flag_check"];

    /// <summary>The rows shown, newest first.</summary>
    public IReadOnlyList<LoggedEvent> Events { get; private set; } = [];

    /// <summary>Company names by id, for the rows.</summary>
    public IReadOnlyDictionary<string, string?> CompanyNames { get; private set; } = new Dictionary<string, string?>();

    /// <summary>Only this event type (<c>?type=</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    /// <summary>Only this event subtype (<c>?subtype=</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Subtype { get; set; }

    /// <summary>Only this company's events (<c>?company=</c>, a company id).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Company { get; set; }

    /// <summary>The page (0-based; <c>?page=</c>); only the first page follows new events.</summary>
    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageIndex { get; set; }

    /// <summary>Whether following new events is paused (<c>?paused=1</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public bool Paused { get; set; }

    /// <summary>The newest event's place in the log: the poller asks for rows after it.</summary>
    public long After { get; private set; }

    /// <summary>Whether new events are followed (the first page, not paused).</summary>
    public bool Live => PageIndex == 0 && !Paused;

    /// <summary>Whether a next (older) page may exist.</summary>
    public bool HasMore { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageIndex = Math.Max(0, PageIndex);
        var rows = await log.ListAsync(Console.Environment.Id, Filter(), PageSize + 1, PageIndex * PageSize, cancellationToken).ConfigureAwait(false);
        HasMore = rows.Count > PageSize;
        Events = [.. rows.Take(PageSize)];
        After = Events.Count > 0 ? Events[0].Seq : 0;
        await NameCompaniesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The poll: events after <paramref name="after"/> (at most a page), and the poller that asks for the next ones.</summary>
    public async Task<IActionResult> OnGetRowsAsync(long after, CancellationToken cancellationToken)
    {
        var rows = await log.ListAsync(Console.Environment.Id, Filter(), PageSize, 0, cancellationToken).ConfigureAwait(false);
        Events = [.. rows.TakeWhile(e => e.Seq > after)];
        After = Events.Count > 0 ? Events[0].Seq : after;
        await NameCompaniesAsync(cancellationToken).ConfigureAwait(false);
        return Partial("_EventRows", this);
    }

    /// <summary>The query string of the current filters (for links and the poller), with <paramref name="extra"/> appended.</summary>
    public string Query(string? extra = null)
    {
        var parts = new List<string>();
        Add(parts, "type", Type);
        Add(parts, "subtype", Subtype);
        Add(parts, "company", Company);
        if (extra is not null)
        {
            parts.Add(extra);
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    /// <summary>Whether any filter is set.</summary>
    public bool Filtered => !string.IsNullOrWhiteSpace(Type) || !string.IsNullOrWhiteSpace(Subtype) || !string.IsNullOrWhiteSpace(Company);

    private static void Add(List<string> parts, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            parts.Add($"{name}={Uri.EscapeDataString(value.Trim())}");
        }
    }

    private EventLogFilter Filter()
    {
        Type = Types.Contains(Type) ? Type : null;
        return new EventLogFilter(Blank(Company), null, Blank(Subtype), Type is null ? [] : [Type], null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private async Task NameCompaniesAsync(CancellationToken cancellationToken)
    {
        var ids = Events.Select(e => e.CompanyId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var companies = await store.GetManyAsync<CompanyRecord>(Console.Environment.Id, ResourceKinds.Company, ids, cancellationToken).ConfigureAwait(false);
        CompanyNames = companies.ToDictionary(c => c.Id, c => (string?)c.Name, StringComparer.Ordinal);
    }
}
