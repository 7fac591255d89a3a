using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe;

/// <summary>An error the fake answers with Stripe's envelope <c>{"error":{type,code,message,param}}</c>.</summary>
public sealed class StripeApiException(HttpStatusCode status, string type, string? code, string message, string? param = null)
    : Exception(message)
{
    /// <summary>HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>Stripe error type, e.g. <c>invalid_request_error</c>.</summary>
    public string Type { get; } = type;

    /// <summary>Stripe error code, e.g. <c>resource_missing</c>.</summary>
    public string? Code { get; } = code;

    /// <summary>The parameter at fault, if any.</summary>
    public string? Param { get; } = param;

    /// <summary>The JSON body Stripe sends for this error.</summary>
    public JsonObject ToBody()
    {
        var error = new JsonObject { ["type"] = Type, ["message"] = Message };
        if (Code is not null) error["code"] = Code;
        if (Param is not null) error["param"] = Param;
        return new JsonObject { ["error"] = error };
    }

    /// <summary>404 <c>resource_missing</c> for an unknown id.</summary>
    public static StripeApiException Missing(string kind, string id, string param = "id") =>
        new(HttpStatusCode.NotFound, "invalid_request_error", "resource_missing", $"No such {kind}: '{id}'", param);

    /// <summary>400 <c>parameter_missing</c>.</summary>
    public static StripeApiException MissingParam(string param) =>
        new(HttpStatusCode.BadRequest, "invalid_request_error", "parameter_missing", $"Missing required param: {param}.", param);

    /// <summary>400 <c>parameter_invalid_*</c> or another invalid-request code.</summary>
    public static StripeApiException Invalid(string param, string message, string code = "parameter_invalid_string_empty") =>
        new(HttpStatusCode.BadRequest, "invalid_request_error", code, message, param);
}
