using Microsoft.Playwright;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>
/// Moving through a console page by keyboard alone, as a person who uses no mouse does, and checking at every stop that
/// the focused element shows that it has the focus (issue 12: "keyboard navigation works").
/// </summary>
public static class KeyboardFocus
{
    /// <summary>
    /// What marks the focused element: an outline or a box shadow on it, or, for an input drawn by its label (a chip, a
    /// segment), on the label or the span beside it. Empty when something shows; else the element, for the message.
    /// </summary>
    private const string UnmarkedFocus = """
        () => {
            const e = document.activeElement;
            if (!e || e === document.body) return '';
            const marked = n => {
                if (!n) return false;
                const s = getComputedStyle(n);
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
            };
            if (marked(e) || marked(e.closest('label')) || marked(e.nextElementSibling)) return '';
            return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${(e.textContent || e.value || '').trim().slice(0, 40)}"`;
        }
        """;

    /// <summary>The focused element's trimmed text.</summary>
    public static Task<string> TextAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.EvaluateAsync<string>("() => (document.activeElement?.textContent ?? '').trim()");
    }

    /// <summary>The focused element's id (empty when it has none).</summary>
    public static Task<string> IdAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''");
    }

    /// <summary>Fails unless the focused element shows a focus ring.</summary>
    public static async Task AssertVisibleAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var unmarked = await page.EvaluateAsync<string>(UnmarkedFocus);
        Assert.True(unmarked.Length == 0, $"the focused element {unmarked} on {page.Url} shows no focus ring (no outline, no box shadow)");
    }

    /// <summary>
    /// Presses <paramref name="key"/> (Tab or Shift+Tab) until the focused element is the one <paramref name="wanted"/>
    /// picks, at most <paramref name="most"/> times, checking the focus ring at every stop.
    /// </summary>
    public static async Task MoveToAsync(IPage page, string wanted, string key = "Tab", int most = 80)
    {
        ArgumentNullException.ThrowIfNull(page);
        for (var presses = 0; presses < most; presses++)
        {
            await page.Keyboard.PressAsync(key);
            await AssertVisibleAsync(page);
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", wanted))
            {
                return;
            }
        }

        Assert.Fail($"{most} presses of {key} on {page.Url} did not reach {wanted} (the focus is on #{await IdAsync(page)} \"{await TextAsync(page)}\")");
    }
}
