using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Operations;

/// <summary>
/// The audit log of the environment (or, under "Team", of the console's people, recorded under the environment id
/// <see cref="ConsoleAccounts.AuditEnvironment"/>): filtered and paged in SQL by <see cref="AuditLog"/>, as
/// <c>GET /audit-log</c> reads it; each entry names its actor (a console user, an API key by its hint, or the system).
/// </summary>
internal sealed class AuditModel(AuditLog audit, EnvironmentStore environments) : ConsolePageModel
{
    /// <summary>Entries on a page.</summary>
    public const int PageSize = 25;

    /// <summary>How many entries are counted at least before the pager says "more than".</summary>
    public const int MaxCounted = 10_000;

    /// <summary>The actor filters: value and label.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Actors =
        [(AuditLogResponse.ConsoleUserActor, "Console user"), (AuditLogResponse.ApiKeyActor, "API key"), (AuditLogResponse.SystemActor, "System")];

    /// <summary>Resource types offered in the type filter (any other can be typed).</summary>
    public static readonly IReadOnlyList<string> KnownTypes =
        ["company", "user", "feature", "flag", "plan", "plan_version", "plan_entitlement", "company_override", "credit_grant", "api_key", "environment", "stripe_connection", "publishable_policy", "webhook"];

    /// <summary><c>team</c> for the console's people; otherwise the current environment.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Scope { get; set; }

    /// <summary>Text in the resource type or id.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>Exactly this resource type.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    /// <summary>Only entries about this company id.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Company { get; set; }

    /// <summary>Only this kind of actor.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    /// <summary>From this day (UTC, inclusive; <c>yyyy-MM-dd</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    /// <summary>Up to this day (UTC, inclusive).</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    /// <summary>The page, 0-based.</summary>
    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageIndex { get; set; }

    /// <summary>Whether the console's team log is shown.</summary>
    public bool Team => Scope == "team";

    /// <summary>The entries of the page, newest first.</summary>
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    /// <summary>How many entries pass the filter, counted up to one past <see cref="CountedAtMost"/>.</summary>
    public long Total { get; private set; }

    /// <summary>Entries past this many are not counted: the pager says "more than" it.</summary>
    public int CountedAtMost { get; private set; }

    /// <summary>Whether more entries pass the filter than were counted.</summary>
    public bool TotalIsCapped => Total > CountedAtMost;

    /// <summary>API key hints by id, to name key actors.</summary>
    public IReadOnlyDictionary<string, ApiKeyRecord> Keys { get; private set; } = new Dictionary<string, ApiKeyRecord>();

    /// <summary>A filter value that could not be read, by field.</summary>
    public string? FilterError { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageIndex = Math.Max(0, PageIndex);
        var environmentId = Team ? ConsoleAccounts.AuditEnvironment : Console.Environment.Id;
        var from = Day(From, "From");
        var to = Day(To, "To");
        if (from is not null && to is not null && to < from)
        {
            FilterError = "The end day is before the start day.";
            return;
        }

        var filter = new AuditFilter(
            null,
            Blank(Company),
            from,
            to?.AddDays(1),
            Actors.Any(a => a.Value == Actor) ? Actor : null,
            Blank(Q),
            Blank(Type));
        // Counting every entry of a busy environment costs more than the page: counting stops past the page shown, and
        // past MaxCounted at least, which is enough for "more than 10,000" and for knowing whether an older page exists.
        CountedAtMost = Math.Max(MaxCounted, (PageIndex + 1) * PageSize);
        Total = await audit.CountAsync(environmentId, filter, cancellationToken, cap: CountedAtMost + 1).ConfigureAwait(false);
        Entries = await audit.ListAsync(environmentId, filter, PageSize, PageIndex * PageSize, cancellationToken).ConfigureAwait(false);
        if (!Team && Entries.Any(e => e.ApiKeyId is not null && e.UserId is null))
        {
            var keys = await environments.ListKeysAsync(environmentId, cancellationToken).ConfigureAwait(false);
            Keys = keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
        }
    }

    /// <summary>The query string of the filters, with the page <paramref name="page"/> (none for the first).</summary>
    public string Query(int page)
    {
        var parts = new List<string>();
        foreach (var (name, value) in new[] { ("scope", Scope), ("q", Q), ("type", Type), ("company", Company), ("actor", Actor), ("from", From), ("to", To) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value.Trim())}");
            }
        }

        if (page > 0)
        {
            parts.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    /// <summary>Whether any filter (besides the scope) is set.</summary>
    public bool Filtered => new[] { Q, Type, Company, Actor, From, To }.Any(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>The actor of an entry: kind (for its badge) and label.</summary>
    public (string Kind, string Label) ActorOf(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.UserId is not null)
        {
            return ("user", entry.UserName ?? entry.UserId);
        }

        if (entry.ApiKeyId is { } keyId)
        {
            return ("key", Keys.TryGetValue(keyId, out var key) ? $"{key.Name} ({key.KeyHint})" : keyId);
        }

        return ("system", "System");
    }

    private DateTimeOffset? Day(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
        {
            return day;
        }

        FilterError = $"{field}: enter a day as yyyy-mm-dd.";
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
