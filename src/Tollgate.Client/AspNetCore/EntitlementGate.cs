using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tollgate.Client.AspNetCore;

/// <summary>What the endpoint filter and the controller attribute share: check, and answer 402 with the upgrade offer.</summary>
internal static class EntitlementGate
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Null when the request may go on; else the 402 to answer.</summary>
    public static async Task<IResult?> CheckAsync(HttpContext http, string flagKey)
    {
        var client = http.RequestServices.GetRequiredService<TollgateClient>();
        var options = http.RequestServices.GetRequiredService<IOptions<TollgateAspNetCoreOptions>>().Value;
        var company = options.CompanyKeys(http);
        var user = options.UserKeys(http);

        // The common case costs one in-process check (with the datastream); the details only when refusing.
        if (await client.CheckFlag(flagKey, company, user).ConfigureAwait(false))
        {
            return null;
        }

        var answer = await client.CheckFlagWithEntitlement(flagKey, company, user).ConfigureAwait(false);
        if (answer.Value)
        {
            return null;
        }

        var plans = await client.GetPlansIncluding(flagKey, http.RequestAborted).ConfigureAwait(false);
        var body = new UpgradeRequired(
            $"Your plan does not include '{flagKey}'" + (answer.FeatureAllocation is { } limit ? $" beyond {limit}" : string.Empty) + ".",
            flagKey,
            answer.Reason,
            answer.FeatureAllocation ?? answer.Entitlement?.Allocation,
            answer.FeatureUsage ?? answer.Entitlement?.Usage,
            plans);
        return TypedResults.Json(body, Json, statusCode: StatusCodes.Status402PaymentRequired);
    }

    /// <summary>Tracks one use of <paramref name="eventName"/> for the request's company and user.</summary>
    public static void Track(HttpContext http, string eventName, int quantity)
    {
        var client = http.RequestServices.GetRequiredService<TollgateClient>();
        var options = http.RequestServices.GetRequiredService<IOptions<TollgateAspNetCoreOptions>>().Value;
        client.Track(eventName, options.CompanyKeys(http), options.UserKeys(http), quantity: quantity);
    }
}
