using System.Globalization;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Credits;

/// <summary>
/// The ledger's query parameters (<c>ListCreditEventLedgerParams</c>): company, credit, Schematic's event type
/// (<c>grant</c>, <c>usage</c>, <c>zero_out</c>) and a time window (<c>start_time</c> inclusive, <c>end_time</c> exclusive).
/// </summary>
internal sealed record LedgerFilter(string? CompanyId, string? CreditId, string? EventType, DateTimeOffset? Start, DateTimeOffset? End)
{
    public const string Where = """
        environment_id = @environmentId AND (@companyId IS NULL OR company_id = @companyId) AND (@creditId IS NULL OR credit_type_id = @creditId)
          AND (@eventType IS NULL OR (@eventType = 'grant' AND movement = 'grant')
               OR (@eventType = 'usage' AND movement IN ('consume', 'reserve', 'release', 'settle'))
               OR (@eventType = 'zero_out' AND movement IN ('zero_out', 'expire')))
          AND (@start IS NULL OR created_at >= @start) AND (@end IS NULL OR created_at < @end)
        """;

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
