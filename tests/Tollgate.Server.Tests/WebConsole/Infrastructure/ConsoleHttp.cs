using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>
/// A browser-less console client: keeps cookies, reads the antiforgery token from a page's form, posts forms. For
/// rules (who may write what, what a POST changes); flows a person follows are tested in Chromium.
/// </summary>
public sealed partial class ConsoleHttp : IDisposable
{
    private readonly HttpClient _http;

    private ConsoleHttp(HttpClient http) => _http = http;

    /// <summary>A client that has signed in as <paramref name="email"/>.</summary>
    public static async Task<ConsoleHttp> SignInAsync(TollgateFactory server, string email, string password = ConsoleUsers.Password)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = Anonymous(server);
        using var response = await client.PostFormAsync("/console/sign-in", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in as {email} answered {(int)response.StatusCode}");
        }

        return client;
    }

    /// <summary>A client with no session.</summary>
    public static ConsoleHttp Anonymous(TollgateFactory server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new ConsoleHttp(server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = server.ClientOptions.BaseAddress }));
    }

    /// <summary>GETs a page.</summary>
    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>GETs a page and answers its HTML, failing unless it is 200.</summary>
    public async Task<string> PageAsync(string path)
    {
        using var response = await GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK ? html : throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {html}");
    }

    /// <summary>The page at <paramref name="path"/> once it contains <paramref name="text"/> (read again for up to 20 s).</summary>
    public async Task<string> PageContainingAsync(string path, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var html = await PageAsync(path);
            if (html.Contains(text, StringComparison.Ordinal))
            {
                return html;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{text} never appeared at {path}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// POSTs a form to <paramref name="path"/> with the antiforgery token of the page at <paramref name="formPage"/>
    /// (the same path when null), as a browser submitting that page's form would.
    /// </summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? formPage = null) =>
        PostFormAsync(path, (IEnumerable<KeyValuePair<string, string>>)fields, formPage);

    /// <summary>As <see cref="PostFormAsync(string, Dictionary{string, string}, string?)"/>, with fields that may repeat (a group of checkboxes).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, string? formPage = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var page = await PageAsync(formPage ?? path.Split('?')[0]);
        var token = TokenPattern().Match(page);
        var body = new List<KeyValuePair<string, string>>(fields);
        if (token.Success)
        {
            // The form page's token replaces one the caller gave: a second token field is refused (400).
            body.RemoveAll(f => f.Key == "__RequestVerificationToken");
            body.Add(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        }

        using var content = new FormUrlEncodedContent(body);
        return await _http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>Sends a request as it is (e.g. with htmx's headers) and answers the body, failing unless it is 200.</summary>
    public async Task<string> SendAsync(HttpRequestMessage request)
    {
        using var response = await _http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK ? html : throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {html}");
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
