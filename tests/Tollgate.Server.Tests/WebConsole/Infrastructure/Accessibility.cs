using System.Globalization;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>Accessibility checks with axe-core (Deque's engine, run inside the page).</summary>
public static class Accessibility
{
    private static readonly HashSet<string> Blocking = new(StringComparer.Ordinal) { "serious", "critical" };

    /// <summary>
    /// Runs axe on the page as it is now and fails, listing each rule, where it failed and how to fix it, when any
    /// violation is <c>serious</c> or <c>critical</c>. Minor and moderate findings do not fail the test.
    /// </summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => v.Impact is not null && Blocking.Contains(v.Impact)).ToList();
        if (blocking.Count > 0)
        {
            Assert.Fail(Describe(page.Url, blocking));
        }
    }

    private static string Describe(string url, IReadOnlyList<AxeResultItem> violations)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"axe found {violations.Count} serious or critical accessibility violation(s) on {url}:");
        foreach (var violation in violations)
        {
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact}): {violation.Help} [{violation.HelpUrl}]");
            foreach (var node in violation.Nodes)
            {
                text.AppendLine();
                text.Append(CultureInfo.InvariantCulture, $"    at {node.Target}: {node.Html}");
                // What failed: axe's checks of this node (all must pass, any one may pass, none may pass).
                foreach (var check in (node.All ?? []).Concat(node.Any ?? []).Concat(node.None ?? []))
                {
                    if (!string.IsNullOrWhiteSpace(check.Message))
                    {
                        text.AppendLine();
                        text.Append("      ").Append(check.Message.ReplaceLineEndings(" "));
                    }
                }
            }
        }

        return text.ToString();
    }
}
