using System.Diagnostics;
using System.Net;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>Events as the SDKs send them to <c>POST /batch</c>, and waiting for usage to show in checks.</summary>
public static class Events
{
    /// <summary>A <c>track</c> event of the capture protocol.</summary>
    public static Dictionary<string, object?> Track(
        string subtype, string company, long? quantity = null, string? idempotencyKey = null, DateTimeOffset? sentAt = null, bool? trustedClock = null, bool? backfill = null)
    {
        var body = new Dictionary<string, object?> { ["event"] = subtype, ["company"] = Given.Keys(company) };
        if (quantity is not null)
        {
            body["quantity"] = quantity;
        }

        var e = new Dictionary<string, object?> { ["type"] = "track", ["body"] = body, ["sent_at"] = (sentAt ?? DateTimeOffset.UtcNow).ToString("O") };
        if (idempotencyKey is not null)
        {
            e["idempotency_key"] = idempotencyKey;
        }

        if (trustedClock is not null)
        {
            e["trusted_client_clock"] = trustedClock;
        }

        if (backfill is not null)
        {
            e["backfill"] = backfill;
        }

        return e;
    }

    /// <summary>Posts events to <c>/batch</c>; asserts 200 and answers the body.</summary>
    public static async Task<ApiResponse> SendAsync(ApiClient api, params object[] events) =>
        (await api.PostAsync("/batch", new { events })).ShouldBe(HttpStatusCode.OK);

    /// <summary>
    /// Checks until <paramref name="done"/> holds of the check's data, for at most a second (the visibility promise).
    /// </summary>
    public static async Task<System.Text.Json.JsonElement> EventuallyAsync(Func<Task<System.Text.Json.JsonElement>> check, Func<System.Text.Json.JsonElement, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var data = await check();
            if (done(data))
            {
                return data;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(1))
            {
                throw new Xunit.Sdk.XunitException($"not visible within one second; last check: {data}");
            }

            await Task.Delay(10);
        }
    }
}
