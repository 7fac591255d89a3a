using System.Globalization;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>Accessibility checks with axe-core (Deque's engine, run inside the page).</summary>
public static class Accessibility
{
    private static readonly HashSet<string> Blocking = new(StringComparer.Ordinal) { "serious", "critical" };

    // The axe-core build that Deque.AxeCore.Playwright's own RunAxe injects (the same version, the same rules).
    private static readonly Lazy<string> AxeSource = new(() => new BundledAxeScriptProvider().GetScript());

    /// <summary>
    /// Runs axe on the page as it is now and fails, listing each rule, where it failed and how to fix it, when any
    /// violation is <c>serious</c> or <c>critical</c>. Minor and moderate findings do not fail the test.
    /// </summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var result = await RunAxeAsync(page);
        var blocking = result.Violations.Where(v => v.Impact is not null && Blocking.Contains(v.Impact)).ToList();
        if (blocking.Count > 0)
        {
            Assert.Fail(Describe(page.Url, blocking));
        }
    }

    /// <summary>
    /// axe's own <c>axe.run(document, { iframes: true })</c> in the page, the options the package's <c>RunAxe()</c>
    /// uses. <c>RunAxe()</c> gets the same answer by <c>runPartial</c> in each frame and <c>finishRun</c> in a fresh
    /// browser page opened and closed per check (its way of keeping cross-origin frames apart); the console has no
    /// frames, so that page is pure cost (a page open per check, ~200 per CI run). A page that does have child frames
    /// still goes through <c>RunAxe()</c>, so that every frame is checked exactly as before. axe is injected once per
    /// document: a navigation discards it, and the next check injects it again.
    /// </summary>
    private static async Task<AxeResult> RunAxeAsync(IPage page)
    {
        if (page.Frames.Count > 1)
        {
            return await page.RunAxe();
        }

        if (!await page.EvaluateAsync<bool>("() => typeof window.axe?.run === 'function'"))
        {
            await page.EvaluateAsync($"() => {{ {AxeSource.Value}\n }}");
        }

        // Serialised in the page: the result holds DOM-free plain data only, and a string crosses the protocol as is.
        var json = await page.EvaluateAsync<string>("async () => JSON.stringify(await window.axe.run(document, { iframes: true }))");
        return new AxeResult(JObject.Parse(json));
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
