using System.Net;
using Tollgate.Server.Requests;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Outbound;

/// <summary>
/// Turns a Stripe refusal into the answer the caller gets: 400 naming the caller's field when Stripe blamed a parameter
/// that came from the request (a map given per operation turns Stripe's parameter name to the field), otherwise
/// 502 with Stripe's message (Stripe failed, or refused something Tollgate made).
/// </summary>
internal static class OutboundFailures
{
    public static RequestException From(StripeCallException e, Func<string, string?> fieldOfParam)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(fieldOfParam);
        if (e.ErrorType == "invalid_request_error" && e.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.PaymentRequired
            && e.Param is { } param && fieldOfParam(param) is { } field)
        {
            return new RequestException(StatusCodes.Status400BadRequest, $"{field}: Stripe refused it: {e.Message}");
        }

        return new RequestException(StatusCodes.Status502BadGateway, $"stripe: {StripeConnections.Describe(e)}");
    }
}
