using Tollgate.Server.Companies;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Credits;

/// <summary>When a company grant expires: its <c>expires_at</c>, else its <c>expiry_type</c>, else the credit type's default.</summary>
internal static class GrantExpiry
{
    internal static readonly (string, string)[] Types =
    [
        ("no_expiry", "no_expiry"), ("duration", "duration"), ("end_of_billing_period", "end_of_billing_period"),
        ("end_of_next_billing_period", "end_of_next_billing_period"), ("end_of_trial", "end_of_trial"),
    ];

    internal static readonly (string, string)[] Units = [("days", "days"), ("billing_periods", "billing_periods")];

    public static DateTimeOffset? Of(CompanyGrantRequest request, CreditTypeRecord credit, CompanyRecord company, DateTimeOffset now)
    {
        if (request.ExpiresAt is { } at)
        {
            if (at <= now)
            {
                Errors.BadRequest("expires_at", "must be in the future");
            }

            return at.ToUniversalTime();
        }

        var type = request.ExpiryType is null ? null : Validate.OneOf(request.ExpiryType, "expiry_type", Types);
        var unit = request.ExpiryUnit is null ? null : Validate.OneOf(request.ExpiryUnit, "expiry_unit", Units);
        if (request.ExpiryUnitCount is < 1)
        {
            Errors.BadRequest("expiry_unit_count", "must be at least 1");
        }

        switch (type)
        {
            case "no_expiry":
                return null;
            case "duration":
                var count = request.ExpiryUnitCount ?? throw new RequestException(StatusCodes.Status400BadRequest, "expiry_unit_count: is required when expiry_type is duration");
                return After(unit ?? "days", count, company, now);
            case "end_of_billing_period":
                return PeriodEnd(company, now);
            case "end_of_next_billing_period":
                return After("billing_periods", 1, company, PeriodEnd(company, now));
            case "end_of_trial":
                Errors.BadRequest("expiry_type", "end_of_trial is not supported: give expires_at");
                return null;
            default:
                // No expiry asked for: the credit type's default, if it has one.
                return credit.DefaultExpiryUnitCount is { } defaultCount ? After(credit.DefaultExpiryUnit, defaultCount, company, now) : null;
        }
    }

    /// <summary><paramref name="count"/> days, or billing periods (months when the company has no subscription), after <paramref name="from"/>.</summary>
    private static DateTimeOffset After(string unit, int count, CompanyRecord company, DateTimeOffset from)
    {
        if (unit == "days")
        {
            return from.AddDays(count);
        }

        var length = company.Subscription is { } s && s.PeriodEnd > s.PeriodStart ? s.PeriodEnd - s.PeriodStart : (TimeSpan?)null;
        return length is { } span ? from + (span * count) : from.AddMonths(count);
    }

    /// <summary>The end of the company's current billing period; the end of the calendar month without a subscription.</summary>
    private static DateTimeOffset PeriodEnd(CompanyRecord company, DateTimeOffset now) =>
        company.Subscription is { } s && s.PeriodEnd > now
            ? s.PeriodEnd.ToUniversalTime()
            : new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
}
