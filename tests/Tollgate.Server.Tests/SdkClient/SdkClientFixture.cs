using System.Text.Json;

namespace Tollgate.Server.Tests.SdkClient;

/// <summary>
/// Starts one server, runs the SDK script against it once (about ten seconds), and keeps both for the tests to assert
/// on: the SDK's answers, and what the server now holds.
/// </summary>
public sealed class SdkClientFixture : IAsyncLifetime
{
    private LoopbackServer? _server;
    private SdkRun? _run;

    internal LoopbackServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    internal SdkRun Run => _run ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(CancellationToken.None);
        _run = await SdkDriver.RunAsync(_server.BaseAddress, LoopbackServer.ApiKey, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>GETs a path from the server and returns the envelope's <c>data</c>.</summary>
    internal async Task<JsonElement> GetDataAsync(string path)
    {
        using var response = await Server.Http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data").Clone();
    }

    /// <summary>The Tollgate id of the company with key <c>id</c> = <paramref name="key"/>, read straight from the server.</summary>
    internal async Task<string> CompanyIdAsync(string key) =>
        (await GetDataAsync($"companies/lookup?keys[id]={Uri.EscapeDataString(key)}")).GetProperty("id").GetString()!;

    /// <summary>The id of the item in a list endpoint whose <paramref name="field"/> equals <paramref name="value"/>.</summary>
    internal async Task<string> IdOfAsync(string listPath, string field, string value) =>
        (await GetDataAsync(listPath)).EnumerateArray().Single(e => e.GetProperty(field).GetString() == value).GetProperty("id").GetString()!;
}
