using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole;

/// <summary>
/// "Errors from the API appear next to the field they name" (issue 12, quality a user notices), in Chromium: a form
/// answered with the API's refusal shows the message in the field's own block, the field says it is invalid
/// (<c>aria-invalid</c>), names the message as its description (<c>aria-describedby</c>, so a screen reader reads both
/// together), and has the focus. The feature form, a grid cell, the override form and the plan form, on SQLite.
/// </summary>
public sealed class FieldErrorBrowserTests(SqliteConsoleServer server) : IClassFixture<SqliteConsoleServer>
{
    [Fact]
    public async Task TheFeatureFormShowsTheApisErrorNextToTheNameAndFocusesIt()
    {
        var (_, page) = await SignedInAsync(ConsoleRole.Editor);
        await page.GotoAsync("/console/features/new");
        await page.GetByLabel("Boolean — on or off").CheckAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Create feature" }).ClickAsync();

        await AssertTiedAsync(page, page.Locator("#Input_Name"));
        await Screenshots.SaveAsync(page, "field-error-feature");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AGridCellShowsTheApisErrorNextToTheLimitAndFocusesIt()
    {
        var (s, page) = await SignedInAsync(ConsoleRole.Editor);
        await page.GotoAsync("/console/plans/grid");
        var cell = page.Locator($"#cell-{s.Pro}-{s.ApiCalls}");
        await cell.GetByRole(AriaRole.Link).ClickAsync();
        // htmx binds the swapped-in editor's hx-post when it settles (it then drops the htmx-added class): a Save
        // clicked before that would submit the form natively. Once in CI the cell ended showing its saved value; with
        // these waits a repeat says which step went wrong.
        await Assertions.Expect(cell.Locator("form.cell-editor")).Not.ToHaveClassAsync(new Regex("htmx-added"));
        var limit = cell.GetByRole(AriaRole.Spinbutton, new() { Name = "Limit", Exact = true });
        await limit.FillAsync(string.Empty);
        await Assertions.Expect(limit).ToHaveValueAsync(string.Empty);

        await page.RunAndWaitForResponseAsync(
            () => cell.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("handler=Save", StringComparison.Ordinal));

        await AssertTiedAsync(page, cell.GetByRole(AriaRole.Spinbutton, new() { Name = "Limit", Exact = true }));
        await Screenshots.SaveAsync(page, "field-error-grid-cell");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheOverrideFormShowsTheApisErrorNextToTheFeatureAndFocusesIt()
    {
        var (s, page) = await SignedInAsync(ConsoleRole.Support);
        var company = await s.CompanyAsync("override-errors", s.Starter, seats: 1);
        await page.GotoAsync($"/console/companies/{company}");
        await page.GetByText("Add an override or a feature trial").ClickAsync();
        await page.Locator("#Override_Note").FillAsync("a note without a feature");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add override" }).ClickAsync();

        await AssertTiedAsync(page, page.Locator("#Override_FeatureId"));
        await Screenshots.SaveAsync(page, "field-error-override");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ThePlanFormShowsTheApisErrorNextToTheNameAndFocusesIt()
    {
        var (_, page) = await SignedInAsync(ConsoleRole.Editor);
        await page.GotoAsync("/console/plans");
        await page.Locator("#Input_Description").FillAsync("A plan without a name");

        await page.Locator("#new-plan").GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await AssertTiedAsync(page, page.Locator("#Input_Name"));
        await Screenshots.SaveAsync(page, "field-error-plan");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The field is marked invalid, has the focus, and names as its description one visible, non-empty message inside
    /// the field's own block.
    /// </summary>
    private static async Task AssertTiedAsync(IPage page, ILocator field)
    {
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(field).ToBeFocusedAsync();
        var described = (await field.GetAttributeAsync("aria-describedby"))!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var errors = new List<string>();
        foreach (var id in described)
        {
            var element = page.Locator($"[id='{id}']");
            if (await element.CountAsync() == 1 && (await element.GetAttributeAsync("class") ?? string.Empty).Contains("field-error", StringComparison.Ordinal))
            {
                errors.Add(id);
                await Assertions.Expect(element).ToBeVisibleAsync();
                Assert.False(string.IsNullOrWhiteSpace(await element.InnerTextAsync()));
                // Next to the field: the message sits in the same field block as the field.
                Assert.True(await element.EvaluateAsync<bool>("(e, f) => e.closest('.field') !== null && e.closest('.field') === f.closest('.field')", await field.ElementHandleAsync()));
            }
        }

        Assert.Single(errors);
    }

    private async Task<(PricingScenario Scenario, IPage Page)> SignedInAsync(ConsoleRole role)
    {
        var s = await PricingScenario.CreateAsync(server);
        var page = await ConsoleBrowser.SignedInAsync(server, role, s.Api.EnvironmentId!, phone: false);
        return (s, page);
    }
}
