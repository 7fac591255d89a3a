using System.Net;
using System.Text.Json;
using Xunit.Sdk;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>An answer of the API: status and body, with assertions that quote the exchange when they fail.</summary>
public sealed class ApiResponse(HttpMethod method, string path, HttpStatusCode status, string text)
{
    private JsonElement? _body;

    /// <summary>The status code.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The body as text.</summary>
    public string Text { get; } = text;

    /// <summary>The body as JSON (fails the test if it is not JSON).</summary>
    public JsonElement Body => _body ??= Parse();

    /// <summary><c>data</c> of the success envelope.</summary>
    public JsonElement Data => Property(Body, "data");

    /// <summary><c>params</c> of the success envelope.</summary>
    public JsonElement Params => Property(Body, "params");

    /// <summary><c>error</c> of an error body.</summary>
    public string Error => Property(Body, "error").GetString() ?? throw Fail("error is null");

    /// <summary><c>data.id</c>.</summary>
    public string Id => Property(Data, "id").GetString() ?? throw Fail("data.id is null");

    /// <summary>Asserts the status; returns this answer for chaining.</summary>
    public ApiResponse ShouldBe(HttpStatusCode expected)
    {
        if (Status != expected)
        {
            throw Fail($"expected {(int)expected} {expected}");
        }

        return this;
    }

    /// <summary>Asserts an error answer: the status and an <c>{"error"}</c> body whose message contains <paramref name="mentions"/>.</summary>
    public ApiResponse ShouldFail(HttpStatusCode expected, string mentions)
    {
        ShouldBe(expected);
        if (!Error.Contains(mentions, StringComparison.Ordinal))
        {
            throw Fail($"expected the error to mention '{mentions}'");
        }

        return this;
    }

    /// <summary>An assertion failure quoting the request and the answer.</summary>
    public XunitException Fail(string problem) =>
        new($"{method} {path}: {problem}; got {(int)Status} {Status}: {(Text.Length > 2000 ? Text[..2000] + "…" : Text)}");

    /// <inheritdoc />
    public override string ToString() => $"{method} {path} → {(int)Status} {Text}";

    private JsonElement Parse()
    {
        try
        {
            using var document = JsonDocument.Parse(Text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Fail($"the body is not JSON ({e.Message})");
        }
    }

    private JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : throw Fail($"no '{name}' in the body");
}
