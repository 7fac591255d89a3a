using System.Net.Http.Json;
using System.Text.Json;

namespace Tollgate.Reliability;

/// <summary>
/// A client of one node with one API key (or none: <c>/batch</c> then takes the key of each event), JSON in, status and
/// JSON out, never throwing on a status.
/// </summary>
internal sealed class Api(Node node, string? key) : IDisposable
{
    private readonly HttpClient _http = Create(node, key);

    public Node Node => node;

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(path.TrimStart('/'), UriKind.Relative), body, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await ReadAsync(response, cancellationToken).ConfigureAwait(false));
    }

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await ReadAsync(response, cancellationToken).ConfigureAwait(false));
    }

    public Task<(int Status, JsonElement Body)> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>POSTs and answers <c>data</c>; a status other than 2xx is an error of the set-up, not of the case.</summary>
    public async Task<JsonElement> RequireAsync(string path, object body, CancellationToken cancellationToken)
    {
        var (status, answer) = await PostAsync(path, body, cancellationToken).ConfigureAwait(false);
        if (status is < 200 or >= 300)
        {
            throw new InvalidOperationException($"set-up call POST {path} answered {status}: {answer}");
        }

        return answer.TryGetProperty("data", out var data) ? data : answer;
    }

    public void Dispose() => _http.Dispose();

    private static HttpClient Create(Node node, string? key)
    {
        var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Schematic-Api-Key", key);
        }

        return http;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
