using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Client.Internal;

/// <summary>
/// Checks over REST (<c>POST /flags/{key}/check</c>, <c>POST /flags/check</c>), with a small cache of answers per flag
/// and context as the official SDK keeps (key <c>flag:c-k=v;…:u-k=v;…</c>, a few seconds).
/// </summary>
internal sealed class RestChecks(HttpClient http, string apiKey, TollgateClientOptions options)
{
    private const int CacheCapacity = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FlagCheckResult> _cache = new(StringComparer.Ordinal);

    public async Task<FlagCheckResult> CheckAsync(string flagKey, IReadOnlyDictionary<string, string>? company, IReadOnlyDictionary<string, string>? user, CancellationToken cancellationToken)
    {
        var cacheKey = CacheKey(flagKey, company, user);
        var now = options.TimeProvider.GetUtcNow();
        if (options.CacheTtl > TimeSpan.Zero && _cache.TryGetValue(cacheKey, out var cached) && cached.AsOf + options.CacheTtl > now)
        {
            return cached with { Source = CheckSource.Cache };
        }

        var data = await PostAsync($"flags/{Uri.EscapeDataString(flagKey)}/check", company, user, cancellationToken).ConfigureAwait(false);
        var answer = RestAnswers.Read(data, options.TimeProvider.GetUtcNow());
        Remember(cacheKey, answer);
        return answer;
    }

    public async Task<List<FlagCheckResult>> CheckAllAsync(IReadOnlyDictionary<string, string>? company, IReadOnlyDictionary<string, string>? user, CancellationToken cancellationToken)
    {
        var data = await PostAsync("flags/check", company, user, cancellationToken).ConfigureAwait(false);
        var asOf = options.TimeProvider.GetUtcNow();
        var answers = new List<FlagCheckResult>();
        foreach (var flag in data.GetProperty("flags").EnumerateArray())
        {
            var answer = RestAnswers.Read(flag, asOf);
            Remember(CacheKey(answer.FlagKey, company, user), answer);
            answers.Add(answer);
        }

        return answers;
    }

    private void Remember(string cacheKey, FlagCheckResult answer)
    {
        if (options.CacheTtl <= TimeSpan.Zero)
        {
            return;
        }

        // A bounded cache without bookkeeping on reads: when full, it starts over (answers live seconds anyway).
        if (_cache.Count >= CacheCapacity)
        {
            _cache.Clear();
        }

        _cache[cacheKey] = answer;
    }

    private async Task<JsonElement> PostAsync(string path, IReadOnlyDictionary<string, string>? company, IReadOnlyDictionary<string, string>? user, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        if (company is not null)
        {
            body["company"] = Keys(company);
        }

        if (user is not null)
        {
            body["user"] = Keys(user);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, path)) { Content = JsonContent.Create(body) };
        request.Headers.Add(TollgateClient.ApiKeyHeader, apiKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Tollgate answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("data").Clone();
    }

    private static JsonObject Keys(IReadOnlyDictionary<string, string> keys)
    {
        var o = new JsonObject();
        foreach (var (k, v) in keys)
        {
            o[k] = v;
        }

        return o;
    }

    private static string CacheKey(string flagKey, IReadOnlyDictionary<string, string>? company, IReadOnlyDictionary<string, string>? user)
    {
        var key = new System.Text.StringBuilder(flagKey);
        Append(key, ":c-", company);
        Append(key, ":u-", user);
        return key.ToString();
    }

    private static void Append(System.Text.StringBuilder key, string prefix, IReadOnlyDictionary<string, string>? keys)
    {
        if (keys is null)
        {
            return;
        }

        key.Append(prefix);
        foreach (var (k, v) in keys.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            key.Append(k).Append('=').Append(v).Append(';');
        }
    }
}
