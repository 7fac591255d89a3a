namespace Tollgate.Server.Usage;

/// <summary>One event as the log holds it; <see cref="Id"/> is <c>evt_</c> and its place in the log.</summary>
public sealed record LoggedEvent(
    long Seq,
    string EnvironmentId,
    string Type,
    string? Subtype,
    string? CompanyId,
    string? UserId,
    long Quantity,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    bool Backfill,
    string? IdempotencyKey,
    string Body)
{
    /// <summary>The prefix of event ids.</summary>
    public const string IdPrefix = "evt_";

    /// <summary>The event's id.</summary>
    public string Id => IdPrefix + Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Which events to list (<c>GET /events</c>): every given field must match; types is any of.</summary>
public sealed record EventLogFilter(string? CompanyId, string? UserId, string? Subtype, IReadOnlyList<string> Types, string? IdempotencyKey);

/// <summary>One event subtype seen in track events (<c>EventSummaryResponseData</c>).</summary>
public sealed record EventSubtypeSummary(string EventSubtype, long EventCount, long CompanyCount, long UserCount, DateTimeOffset? LastSeenAt);

/// <summary>A user's usage of one event subtype in a company over a window: the sum, and the last event's time.</summary>
public sealed record UserSubtypeUsage(string? UserId, string Subtype, long Quantity, DateTimeOffset LastSeen);

/// <summary>A user's usage of one event subtype on one UTC day.</summary>
public sealed record DailySubtypeUsage(DateTimeOffset Day, string Subtype, long Quantity);
