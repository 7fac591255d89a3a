using System.Net;
using System.Text.RegularExpressions;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Operations;

/// <summary>Signing in to the console and looking at one environment, for the operations pages' tests.</summary>
public static partial class OperationsConsole
{
    /// <summary>A console client signed in as the owner (or a new user of <paramref name="role"/>) showing <paramref name="environmentId"/>.</summary>
    public static async Task<ConsoleHttp> InAsync(TollgateFactory server, string environmentId, ConsoleRole role = ConsoleRole.Owner)
    {
        var user = role == ConsoleRole.Owner ? await ConsoleUsers.OwnerAsync(server) : await ConsoleUsers.CreateAsync(server, role);
        var console = await ConsoleHttp.SignInAsync(server, user.Email);
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = environmentId, ["returnUrl"] = "/console" }, formPage: "/console");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        return console;
    }

    /// <summary>The text of the key shown once on a creation answer, or null.</summary>
    public static string? NewKey(string html) => NewKeyPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("id=\"new-key-text\"[^>]*>([^<]+)<")]
    private static partial Regex NewKeyPattern();
}
