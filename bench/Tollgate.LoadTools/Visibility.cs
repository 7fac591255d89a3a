using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tollgate.LoadTools;

/// <summary>Track-to-visible latency: from the acknowledgement of one track to the first check that counts it.</summary>
internal static class Visibility
{
    public static async Task<int> RunAsync(Uri baseUrl, string apiKey, int samples)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Schematic-Api-Key", apiKey);
        var latencies = new List<double>(samples);
        var usage = await UsageAsync(http);
        for (var i = 0; i < samples; i++)
        {
            var track = new
            {
                events = new[]
                {
                    new { api_key = apiKey, type = "track", body = new { @event = "api_call", company = new { id = "acme" }, quantity = 1 }, sent_at = DateTimeOffset.UtcNow },
                },
            };
            (await http.PostAsJsonAsync("batch", track)).EnsureSuccessStatusCode();
            var acknowledged = Stopwatch.StartNew();
            long seen;
            while ((seen = await UsageAsync(http)) <= usage)
            {
                if (acknowledged.Elapsed > TimeSpan.FromSeconds(5))
                {
                    Console.Error.WriteLine($"sample {i}: not visible after 5 s");
                    return 1;
                }
            }

            latencies.Add(acknowledged.Elapsed.TotalMilliseconds);
            usage = seen;
        }

        latencies.Sort();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $$"""RESULT {"samples":{{samples}},"p50_ms":{{Percentile(latencies, 0.50):F2}},"p99_ms":{{Percentile(latencies, 0.99):F2}},"max_ms":{{latencies[^1]:F2}}}"""));
        return 0;
    }

    private static async Task<long> UsageAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("flags/api-calls/check", new { company = new { id = "acme" } });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("data").GetProperty("feature_usage").GetInt64();
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
