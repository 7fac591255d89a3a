using System.Text.Json;
using Tollgate.Server.Tests.SdkClient;

namespace Tollgate.Server.Tests.Notifications;

/// <summary>The official Node SDK as the judge of deliveries (<c>tests/sdk-client/verify-webhooks.mjs</c>).</summary>
internal static class NodeSdkWebhooks
{
    /// <summary>
    /// Runs the official Node SDK's <c>verifyWebhookSignature</c> over the deliveries: each verifies, and each altered
    /// does not; and validates each body against the SDK's wire type for its request type. Answers how many bodies had a
    /// type to be judged by.
    /// </summary>
    public static async Task<int> AssertVerifiedAsync(string secret, IReadOnlyCollection<WebhookReceiver.Delivery> deliveries)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tollgate-webhooks-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(deliveries.Select(d => new { secret, body = d.Body, signature = d.Signature, timestamp = d.Timestamp })));
        try
        {
            var (json, _) = await SdkDriver.RunScriptAsync("verify-webhooks.mjs", [file], TimeSpan.FromMinutes(1), CancellationToken.None);
            Assert.Equal(0, json.GetProperty("failures").GetArrayLength());
            Assert.Equal(deliveries.Count, json.GetProperty("verified").GetInt32());
            Assert.Equal(deliveries.Count, json.GetProperty("tampered_rejected").GetInt32());
            Assert.True(json.GetProperty("shape_failures").GetArrayLength() == 0, $"bodies not of the SDK's types: {json.GetProperty("shape_failures")}");
            return json.GetProperty("shapes_checked").GetInt32();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
