using System.Globalization;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Credits;

/// <summary>
/// The ledger's query parameters (<c>ListCreditEventLedgerParams</c>): company, credit, Schematic's event type
/// (<c>grant</c>, <c>usage</c>, <c>zero_out</c>) and a time window (<c>start_time</c> inclusive, <c>end_time</c> exclusive).
/// </summary>
internal sealed record LedgerFilter(string? CompanyId, string? CreditId, string? EventType, DateTimeOffset? Start, DateTimeOffset? End)
{
    /// <summary>
    /// The ledger's conditions: the environment, and only the filters given. "@x IS NULL OR column = @x" kept SQLite from
    /// the index of a company's entries (<c>credit_ledger_company</c>): a company page read every entry of the
    /// environment, twice (its count and its page). An event type other than the three Schematic names matches nothing.
    /// </summary>
    public string Where =>
        "environment_id = @environmentId"
        + (CompanyId is null ? string.Empty : " AND company_id = @companyId")
        + (CreditId is null ? string.Empty : " AND credit_type_id = @creditId")
        + EventType switch
        {
            null => string.Empty,
            "grant" => " AND movement = 'grant'",
            "usage" => " AND movement IN ('consume', 'reserve', 'release', 'settle')",
            "zero_out" => " AND movement IN ('zero_out', 'expire')",
            _ => " AND 1 = 0",
        }
        + (Start is null ? string.Empty : " AND created_at >= @start")
        + (End is null ? string.Empty : " AND created_at < @end");

    private static readonly (string, string)[] EventTypes = [("grant", "grant"), ("usage", "usage"), ("zero_out", "zero_out"), ("transfer", "transfer")];

    public static LedgerFilter From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var eventType = Text(request, "event_type");
        return new LedgerFilter(
            Text(request, "company_id"),
            Text(request, "billing_credit_id"),
            eventType is null ? null : Validate.OneOf(eventType, "event_type", EventTypes),
            Time(request, "start_time"),
            Time(request, "end_time"));
    }

    public object Parameters(string environmentId, Paging paging) => new
    {
        environmentId,
        companyId = CompanyId,
        creditId = CreditId,
        eventType = EventType,
        start = Start?.ToUnixTimeMilliseconds(),
        end = End?.ToUnixTimeMilliseconds(),
        limit = paging.Limit,
        offset = paging.Offset,
    };

    private static string? Text(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    private static DateTimeOffset? Time(HttpRequest request, string name)
    {
        if (Text(request, name) is not { } text)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            Errors.BadRequest(name, "must be a date and time (RFC 3339)");
        }

        return at;
    }
}
