using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Tollgate.Scale;

/// <summary>
/// Render time of console pages: signs in as a console user (the sign-in form, with its antiforgery token and cookie),
/// then requests every page many times from a few concurrent clients, pages interleaved so that a burst of load on the
/// machine falls on all of them alike, and reports p50/p95/p99 per page of the server's own time (the
/// <c>Server-Timing: app;dur=…</c> header the console writes) and of the time seen by the client on loopback. A page
/// answering anything but 200 fails the run. The baseline (<c>GET /health</c>) runs in the same rounds.
/// </summary>
internal static partial class PageBench
{
    public static async Task<int> RunAsync(
        Uri baseUrl, string email, string password, IReadOnlyList<string> pages, int requests, int concurrency, int warmup, string? output, CancellationToken ct)
    {
        var cookies = new CookieContainer();
        using var handler = new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, MaxConnectionsPerServer = concurrency };
        using var http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        await SignInAsync(http, email, password, ct);

        List<string> all = ["/health", .. pages];
        for (var i = 0; i < warmup; i++)
        {
            foreach (var page in all)
            {
                await TimeAsync(http, page, ct);
            }
        }

        var samples = all.ToDictionary(p => p, _ => new List<Sample>(requests), StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(
            async () =>
            {
                for (var i = w; i < requests; i += concurrency)
                {
                    // Each worker starts at another page, so the workers are not all on one page at once.
                    for (var j = 0; j < all.Count; j++)
                    {
                        var page = all[(i + j) % all.Count];
                        var sample = await TimeAsync(http, page, ct);
                        lock (samples)
                        {
                            samples[page].Add(sample);
                        }
                    }
                }
            },
            ct)).ToArray();
        await Task.WhenAll(workers);

        var report = Report(baseUrl, samples, requests, concurrency, warmup, clock.Elapsed);
        Console.WriteLine(report);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, report, ct);
        }

        return samples.Values.SelectMany(s => s).Any(s => s.Status != 200) ? 1 : 0;
    }

    private static async Task SignInAsync(HttpClient http, string email, string password, CancellationToken ct)
    {
        var form = await http.GetStringAsync("/console/sign-in", ct);
        var token = AntiforgeryToken().Match(form) is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        using var answer = await http.PostAsync("/console/sign-in", body, ct);
        if (answer.StatusCode != HttpStatusCode.Redirect && answer.StatusCode != HttpStatusCode.SeeOther)
        {
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)answer.StatusCode}, not a redirect: wrong email or password?");
        }
    }

    private static async Task<Sample> TimeAsync(HttpClient http, string page, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var answer = await http.GetAsync(page, HttpCompletionOption.ResponseContentRead, ct);
        var client = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        double? server = null;
        if (answer.Headers.TryGetValues("Server-Timing", out var timings)
            && ServerDuration().Match(string.Join(",", timings)) is { Success: true } m)
        {
            server = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return new Sample((int)answer.StatusCode, client, server, answer.Content.Headers.ContentLength ?? 0);
    }

    private static string Report(Uri baseUrl, Dictionary<string, List<Sample>> samples, int requests, int concurrency, int warmup, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Pages of {baseUrl}: {requests} requests each from {concurrency} concurrent clients, pages interleaved, after {warmup} warm-up rounds; {elapsed.TotalSeconds:F0} s.");
        text.AppendLine();
        text.AppendLine("| page | status | server p50 | server p95 | server p99 | client p50 | client p95 | bytes | ≤ 100 ms p95 |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var (page, list) in samples)
        {
            var statuses = string.Join(" ", list.GroupBy(s => s.Status).Select(g => $"{g.Key}×{g.Count()}"));
            var server = list.Where(s => s.Server is not null).Select(s => s.Server!.Value).Order().ToArray();
            var client = list.Select(s => s.Client).Order().ToArray();
            var p95 = server.Length > 0 ? Percentile(server, 95) : Percentile(client, 95);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| `{page}` | {statuses} | {Ms(server, 50)} | {Ms(server, 95)} | {Ms(server, 99)} | {Ms(client, 50)} | {Ms(client, 95)} | {list.Max(s => s.Bytes):N0} | {(p95 <= 100 ? "yes" : "**no**")}{(server.Length == 0 ? " (client time)" : string.Empty)} |");
        }

        return text.ToString();
    }

    private static string Ms(double[] sorted, int percentile) =>
        sorted.Length == 0 ? "n/a" : Percentile(sorted, percentile).ToString("F1", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, int percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex(@"app;dur=([0-9.]+)")]
    private static partial Regex ServerDuration();

    private readonly record struct Sample(int Status, double Client, double? Server, long Bytes);
}
