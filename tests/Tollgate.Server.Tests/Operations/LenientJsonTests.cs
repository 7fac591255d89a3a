using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Operations;

/// <summary>
/// A JSON body is accepted without <c>Content-Type: application/json</c> (curl's <c>-d</c> sends form encoding), and
/// every curl command the README prints works as printed against the demo data.
/// </summary>
public sealed partial class LenientJsonTests(DemoServer server) : IClassFixture<DemoServer>
{
    private const string CheckBody = """{"company":{"id":"acme"}}""";

    [Theory]
    [InlineData("application/x-www-form-urlencoded")] // what curl -d sends: the start-up banner's command
    [InlineData("text/plain; charset=utf-8")]
    [InlineData(null)]
    public async Task AJsonCheckBodyIsAcceptedWhateverItsContentTypeSays(string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(CheckBody));
        if (contentType is not null)
        {
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        var response = await server.Api().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/flags/api-calls/check") { Content = content });

        response.ShouldBe(HttpStatusCode.OK);
        Assert.True(response.Data.GetProperty("value").GetBoolean(), response.ToString());
    }

    [Fact]
    public async Task AFormBodyThatIsNotJsonIsStillRefusedWith415()
    {
        var response = await server.Api().SendRawAsync(HttpMethod.Post, "/flags/api-calls/check", "company=acme", "application/x-www-form-urlencoded");

        response.ShouldFail(HttpStatusCode.UnsupportedMediaType, "application/json");
    }

    [Fact]
    public async Task AWriteWithAFormEncodedJsonBodyIsStored()
    {
        var response = await server.Api().SendRawAsync(HttpMethod.Post, "/plans", "  \n{\"name\":\"Curl plan\"}", "application/x-www-form-urlencoded");

        response.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("Curl plan", response.Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task EveryCurlCommandInTheReadmeWorksAsPrinted()
    {
        var commands = CurlCommands(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "README.md"))).ToList();
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var response = await server.Api(key: null).SendAsync(ToRequest(command));
            Assert.True(response.Status != HttpStatusCode.UnsupportedMediaType && (int)response.Status < 500, $"{command}\n→ {response}");
            if (command.Contains("/flags/api-calls/check", StringComparison.Ordinal))
            {
                response.ShouldBe(HttpStatusCode.OK);
            }
        }
    }

    /// <summary>The curl commands of the README's shell blocks, continuation lines joined.</summary>
    private static IEnumerable<string> CurlCommands(string readme)
    {
        foreach (Match block in ShellBlock().Matches(readme))
        {
            var joined = block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal);
            foreach (var line in joined.Split('\n'))
            {
                if (line.TrimStart().StartsWith("curl ", StringComparison.Ordinal))
                {
                    yield return line.Trim();
                }
            }
        }
    }

    /// <summary>The request curl would send: <c>-X</c>, <c>-H</c>, <c>-d</c> (form-encoded unless a header names the type); the key placeholders become the test key.</summary>
    private static HttpRequestMessage ToRequest(string command)
    {
        var words = Words().Matches(command).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();
        var method = HttpMethod.Get;
        string? url = null;
        string? body = null;
        var headers = new List<(string Name, string Value)>();
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-X":
                    method = new HttpMethod(words[++i]);
                    break;
                case "-H":
                    var header = words[++i].Split(':', 2);
                    headers.Add((header[0].Trim(), header[1].Trim().Replace("<the key>", TollgateFactory.SecretKey, StringComparison.Ordinal).Replace("<secret key>", TollgateFactory.SecretKey, StringComparison.Ordinal)));
                    break;
                case "-d":
                    body = words[++i];
                    method = method == HttpMethod.Get ? HttpMethod.Post : method;
                    break;
                case var word when word.StartsWith("http", StringComparison.Ordinal):
                    url = new Uri(word).PathAndQuery;
                    break;
            }
        }

        var request = new HttpRequestMessage(method, url ?? throw new InvalidOperationException($"no URL in {command}"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content!.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                request.Headers.Add(name, value);
            }
        }

        return request;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Tollgate.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Tollgate.slnx not found above the test binaries");
    }

    [GeneratedRegex("```sh\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex("'([^']*)'|(\\S+)")]
    private static partial Regex Words();
}
