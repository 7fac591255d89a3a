using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tollgate.Engine;
using Tollgate.Engine.Json;

namespace Tollgate.Benchmarks.Fixtures;

/// <summary>
/// One engine benchmark input from <c>bench/fixtures</c> (embedded): the flag, company and user as compact JSON, the
/// pinned clock, and Schematic's WASM's answer to them (<c>&lt;name&gt;.expected.json</c>, written by
/// <c>make-fixtures.mjs</c>). <c>bench/wasm/time-wasm.mjs</c> reads the same files and serialises them the same way
/// (<c>JSON.stringify</c>), so both engines are timed on the same bytes.
/// </summary>
internal sealed class EngineFixture
{
    // Relaxed escaping writes printable ASCII as JSON.stringify does; make-fixtures.mjs keeps the fixtures to that.
    private static readonly JsonWriterOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private EngineFixture(string name, DateTimeOffset now, string flagJson, string? companyJson, string? userJson, string expectedJson)
    {
        Name = name;
        Now = now;
        FlagJson = flagJson;
        CompanyJson = companyJson;
        UserJson = userJson;
        ExpectedJson = expectedJson;
    }

    public string Name { get; }

    /// <summary>The instant both engines are checked at; it decides <c>featureUsageResetAt</c>.</summary>
    public DateTimeOffset Now { get; }

    public string FlagJson { get; }

    public string? CompanyJson { get; }

    public string? UserJson { get; }

    /// <summary>The WASM's result for this fixture, byte for byte.</summary>
    public string ExpectedJson { get; }

    public static EngineFixture Load(string name)
    {
        using var document = JsonDocument.Parse(ReadResource($"{name}.json"));
        var root = document.RootElement;
        var now = DateTimeOffset.Parse(root.GetProperty("now").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var expected = ReadResource($"{name}.expected.json");

        // The expected file is the WASM's output followed by one newline.
        expected = expected.EndsWith('\n') ? expected[..^1] : expected;
        return new EngineFixture(name, now, Compact(root.GetProperty("flag"))!, Compact(root.GetProperty("company")), Compact(root.GetProperty("user")), expected);
    }

    public CompiledFlag CompileFlag() => CompiledFlag.Compile(Parse(FlagJson, FlagReader.ReadFlag));

    public CompiledCompany? CompileCompany() => CompanyJson is null ? null : CompiledCompany.Compile(Parse(CompanyJson, CompanyReader.ReadCompany));

    public CompiledUser? CompileUser() => UserJson is null ? null : CompiledUser.Compile(Parse(UserJson, CompanyReader.ReadUser));

    /// <summary>Reads a model with the engine's own JSON readers, as <see cref="RulesEngine.CheckFlagJson"/> does.</summary>
    private static T Parse<T>(string json, ElementReader<T> read)
    {
        var input = new JsonInput(Encoding.UTF8.GetBytes(json));
        var value = read(ref input);
        input.ExpectEnd();
        return value;
    }

    private static string? Compact(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactOptions))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string ReadResource(string fileName)
    {
        var resource = $"fixtures/{fileName}";
        using var stream = typeof(EngineFixture).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"No embedded fixture '{resource}': is bench/fixtures/{fileName} there?");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
