using System.Text.RegularExpressions;

namespace Tollgate.Server.Tests.SdkClient;

/// <summary>
/// Issue 11, "the official client as the judge": the official Schematic Node SDK drives Schematic's management API
/// against Tollgate, and each raw answer must validate against the JSON Schema generated from the SDK's own TypeScript
/// type for that operation (required fields present, types and enum values right). Tollgate's OpenAPI document must
/// list at least 95% of the operations in scope, and the README must name every one it does not serve, with a reason.
/// </summary>
public sealed partial class ConformanceTests(ConformanceFixture fixture) : IClassFixture<ConformanceFixture>
{
    /// <summary>The share of this issue's operations that must be served and driven (the issue's "Done when").</summary>
    private const double RequiredShare = 0.95;

    private ConformanceReport Report => fixture.Report;

    private IReadOnlyList<JudgedOperation> ThisIssue => [.. Report.Operations.Where(o => o.Scope == "this-issue")];

    [Fact]
    public void TheJudgeUsedThePinnedSdkAndNoGroupCrashed()
    {
        Assert.Equal("1.6.2", Report.SdkVersion);
        Assert.NotEmpty(Report.Groups);
        var crashed = Report.Groups.Where(g => g.Crash is not null).Select(g => $"{g.File}: {g.Crash}").ToList();
        Assert.True(crashed.Count == 0, "group files that crashed:\n" + string.Join('\n', crashed));
    }

    [Fact]
    public void EveryAnswerValidatesAgainstTheSchemaOfItsSdkType()
    {
        var invalid = Report.Operations.Where(o => o.Called && !o.Valid).ToList();
        Assert.True(invalid.Count == 0, $"{invalid.Count} operations answered outside Schematic's shapes:\n" + string.Join('\n', invalid));
    }

    [Fact]
    public void TheOpenApiDocumentListsAtLeast95PercentOfTheOperationsInScope()
    {
        var served = ThisIssue.Count(o => o.Served);
        Assert.True(
            served >= RequiredShare * ThisIssue.Count,
            $"{served} of {ThisIssue.Count} served; not served:\n" + string.Join('\n', ThisIssue.Where(o => !o.Served).Select(o => $"{o.Method} {o.Path}")));
    }

    [Fact]
    public void TheOfficialClientDrivesAtLeast95PercentOfTheOperationsInScope()
    {
        var driven = ThisIssue.Count(o => o.Called && o.Valid);
        Assert.True(
            driven >= RequiredShare * ThisIssue.Count,
            $"{driven} of {ThisIssue.Count} driven with a valid answer; not driven:\n" + string.Join('\n', ThisIssue.Where(o => !o.Called).Select(o => $"{o.Operation} ({o.Method} {o.Path})")));
    }

    [Fact]
    public void EveryDrivenOperationIsListedInTheOpenApiDocument()
    {
        var unlisted = Report.Operations.Where(o => o.Called && !o.Served).ToList();
        Assert.True(unlisted.Count == 0, "driven but missing from /openapi/v1.json:\n" + string.Join('\n', unlisted.Select(o => $"{o.Method} {o.Path}")));
    }

    [Fact]
    public void TheReadmeNamesEveryOperationInScopeThatIsNotServedWithAReason()
    {
        var readme = File.ReadAllText(Path.Combine(SdkDriver.ClientDirectory, "..", "..", "README.md"));
        var listed = NotServedRow().Matches(readme).ToDictionary(m => $"{m.Groups["method"].Value} {m.Groups["path"].Value}", m => m.Groups["reason"].Value.Trim());
        var missing = Report.Operations.Where(o => o.Scope == "this-issue" && !o.Served && !listed.ContainsKey($"{o.Method} {o.Path}")).ToList();
        Assert.True(missing.Count == 0, "not served and not named in the README's table of operations not served:\n" + string.Join('\n', missing.Select(o => $"{o.Method} {o.Path}")));
        Assert.All(listed, row => Assert.False(string.IsNullOrWhiteSpace(row.Value), $"{row.Key} has no reason"));
        var servedButListed = Report.Operations.Where(o => o.Served && listed.ContainsKey($"{o.Method} {o.Path}")).ToList();
        Assert.True(servedButListed.Count == 0, "served, yet listed as not served in the README:\n" + string.Join('\n', servedButListed.Select(o => $"{o.Method} {o.Path}")));
    }

    // A row of the README's table "Schematic operations not served": | `GET` | `/path` | reason |
    [GeneratedRegex(@"^\|\s*`(?<method>GET|POST|PUT|DELETE|PATCH)`\s*\|\s*`(?<path>/[^`]*)`\s*\|(?<reason>[^|\n]*)\|", RegexOptions.Multiline)]
    private static partial Regex NotServedRow();
}
