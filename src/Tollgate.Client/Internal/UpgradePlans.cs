using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Tollgate.Client.Internal;

/// <summary>
/// Which plans include the feature behind a flag, over REST (<c>GET /flags</c> → the flag's <c>feature_id</c>,
/// <c>GET /plan-entitlements?feature_id=</c>, <c>GET /plans</c> for names), kept a minute: the upgrade offer of a 402
/// is not worth a round trip per refused request.
/// </summary>
internal sealed class UpgradePlans(HttpClient http, string apiKey, TollgateClientOptions options)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<PlanInfo> Plans)> _byFlag = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<PlanInfo>> IncludingAsync(string flagKey, CancellationToken cancellationToken)
    {
        var now = options.TimeProvider.GetUtcNow();
        if (_byFlag.TryGetValue(flagKey, out var known) && known.At + Lifetime > now)
        {
            return known.Plans;
        }

        var flags = await ListAsync("flags", cancellationToken).ConfigureAwait(false);
        var featureId = flags.Where(f => f.GetProperty("key").GetString() == flagKey)
            .Select(f => f.TryGetProperty("feature_id", out var id) ? id.GetString() : null).FirstOrDefault();
        IReadOnlyList<PlanInfo> plans = [];
        if (featureId is not null)
        {
            var entitlements = await ListAsync($"plan-entitlements?feature_id={Uri.EscapeDataString(featureId)}", cancellationToken).ConfigureAwait(false);
            var including = entitlements.Where(Grants).Select(e => e.GetProperty("plan_id").GetString()).ToHashSet(StringComparer.Ordinal);
            var all = await ListAsync("plans", cancellationToken).ConfigureAwait(false);
            plans = [.. all.Where(p => including.Contains(p.GetProperty("id").GetString()))
                .Select(p => new PlanInfo(p.GetProperty("id").GetString()!, p.GetProperty("name").GetString() ?? string.Empty))];
        }

        _byFlag[flagKey] = (now, plans);
        return plans;
    }

    /// <summary>An entitlement that gives something: not a false boolean nor a zero limit.</summary>
    private static bool Grants(JsonElement e) => e.GetProperty("value_type").GetString() switch
    {
        "boolean" => e.TryGetProperty("value_bool", out var b) && b.ValueKind == JsonValueKind.True,
        "numeric" => e.TryGetProperty("value_numeric", out var n) && n.ValueKind == JsonValueKind.Number && n.GetInt64() > 0,
        _ => true,
    };

    private async Task<List<JsonElement>> ListAsync(string path, CancellationToken cancellationToken)
    {
        const int Page = 100;
        var items = new List<JsonElement>();
        for (var offset = 0; ; offset += Page)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.BaseUrl, string.Create(CultureInfo.InvariantCulture, $"{path}{separator}limit={Page}&offset={offset}")));
            request.Headers.Add(TollgateClient.ApiKeyHeader, apiKey);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false));
            var page = document.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone()).ToList();
            items.AddRange(page);
            if (page.Count < Page)
            {
                return items;
            }
        }
    }
}
