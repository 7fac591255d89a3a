using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tollgate.Server.Api;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// Speaks the API's wire format: request bodies are anonymous objects whose camelCase members go out snake_case
/// (<c>new { featureType = "boolean" }</c> sends <c>feature_type</c>); dictionary keys are sent as they are.
/// </summary>
public sealed class ApiClient(HttpClient http)
{
    /// <summary>The wire format, as the server configures it.</summary>
    public static readonly JsonSerializerOptions Json = CreateOptions();

    /// <summary>The environment this client's key belongs to, when the test made it.</summary>
    public string? EnvironmentId { get; set; }

    /// <summary>The id of this client's key, when the test made it.</summary>
    public string? KeyId { get; set; }

    /// <summary>This client's key itself, when the test made it (events carry it in their body).</summary>
    public string? Key { get; set; }

    /// <summary>GET.</summary>
    public Task<ApiResponse> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>DELETE.</summary>
    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path));

    /// <summary>POST with a JSON body (none when null).</summary>
    public Task<ApiResponse> PostAsync(string path, object? body) => SendAsync(HttpMethod.Post, path, body);

    /// <summary>PUT with a JSON body.</summary>
    public Task<ApiResponse> PutAsync(string path, object? body) => SendAsync(HttpMethod.Put, path, body);

    /// <summary>Sends <paramref name="body"/> exactly as given.</summary>
    public Task<ApiResponse> SendRawAsync(HttpMethod method, string path, string body, string contentType = "application/json") =>
        SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType)) });

    /// <summary>Sends a JSON body of the given method.</summary>
    public Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
        }

        return SendAsync(request);
    }

    /// <summary>Sends a request and reads the whole answer.</summary>
    public async Task<ApiResponse> SendAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (request)
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return new ApiResponse(request.Method, request.RequestUri?.ToString() ?? string.Empty, response.StatusCode, text);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        ApiJson.Configure(options);
        return options;
    }
}
