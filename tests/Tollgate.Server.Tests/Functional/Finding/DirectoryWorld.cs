using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Tests.Functional.Lifecycle;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Finding;

/// <summary>
/// The pricing scenario with eight companies built through the API, each standing differently against its limits
/// (Starter: <c>api-calls</c> 100 a month, <c>seats</c> 3; Pro: 1,000 and 10; Enterprise: unlimited and the
/// <c>seat_limit</c> trait):
/// <list type="bullet">
/// <item><c>acme</c> (Starter): 120 api calls tracked, over (1.2).</item>
/// <item><c>bolt</c> (Pro): 9 seats of 10, near (0.9).</item>
/// <item><c>cargo</c> (Pro): 500 api calls tracked (0.5).</item>
/// <item><c>delta</c> (Enterprise): 100 seats of its trait's 200 (no numeric limit, 0); an active <c>sso</c> override.</item>
/// <item><c>echo</c>: no plan, then a trial of Pro.</item>
/// <item><c>fox</c> (Starter): 4 seats of 3, over (1.33).</item>
/// <item><c>golf</c>: no plan.</item>
/// <item><c>Hotel Group</c> (Pro) keyed <c>h-123</c> and <c>ops@hotel.test</c>.</item>
/// </list>
/// </summary>
internal sealed record DirectoryWorld(TollgateFactory Server, PricingScenario S, IReadOnlyDictionary<string, string> Ids)
{
    public static async Task<DirectoryWorld> CreateAsync(TollgateFactory server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var s = await PricingScenario.CreateAsync(server);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["acme"] = await s.CompanyAsync("acme", s.Starter, seats: 1),
            ["bolt"] = await s.CompanyAsync("bolt", s.Pro, seats: 9),
            ["cargo"] = await s.CompanyAsync("cargo", s.Pro, seats: 2),
            ["delta"] = await s.CompanyAsync("delta", s.Enterprise, seats: 100, seatLimit: 200),
            ["echo"] = await Given.CompanyAsync(s.Api, "echo"),
            ["fox"] = await s.CompanyAsync("fox", s.Starter, seats: 4),
            ["golf"] = await Given.CompanyAsync(s.Api, "golf"),
        };
        ids["hotel"] = (await s.Api.PostAsync("/companies", new { keys = new { id = "h-123", email = "ops@hotel.test" }, name = "Hotel Group", basePlanId = s.Pro }))
            .ShouldBe(HttpStatusCode.OK).Id;
        await Given.OverrideAsync(s.Api, new { companyId = ids["delta"], featureId = s.Sso, valueType = "boolean", valueBool = true, note = "pilot" });

        // A plan group made after the companies, so none of them was given its initial plan.
        var group = LifecycleWorld.Group(s.Starter, s.Pro);
        (await s.Api.PostAsync("/plan-groups", group)).ShouldBe(HttpStatusCode.Created);
        (await s.Api.PostAsync($"/companies/{ids["echo"]}/trial", new { planId = s.Pro })).ShouldBe(HttpStatusCode.OK);

        await Events.SendAsync(s.Api, Events.Track("api_call", "acme", 120), Events.Track("api_call", "cargo", 500));
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "cargo"), c => c.GetProperty("feature_usage").GetInt64() == 500);
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "acme"), c => c.GetProperty("feature_usage").GetInt64() == 120);
        var world = new DirectoryWorld(server, s, ids);
        await world.EventuallyFindAsync(new() { Sort = CompanyDirectorySort.UsageRatio, Descending = true }, f => f.Take(4).SequenceEqual(["fox", "acme", "bolt", "cargo"]));
        return world;
    }

    /// <summary>The scope of the world's environment, as a page or endpoint would pass it.</summary>
    public RequestScope Scope => new(S.Api.EnvironmentId!, S.Api.KeyId!, ApiKeyKind.Secret);

    public CompanyDirectory Directory => Server.Services.GetRequiredService<CompanyDirectory>();

    /// <summary>The keys (<c>acme</c>…) of the companies on a page, in its order.</summary>
    public IReadOnlyList<string> KeysOf(CompanyDirectoryPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var byId = Ids.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        return [.. page.Rows.Select(r => byId[r.CompanyId])];
    }

    /// <summary>The keys of the companies a search finds (one page of up to 100).</summary>
    public async Task<IReadOnlyList<string>> FindAsync(CompanyDirectoryQuery query) =>
        KeysOf(await Directory.FindAsync(Scope, query with { PageSize = 100 }, CancellationToken.None));

    /// <summary>Searches until <paramref name="done"/> holds of the keys found, for at most three seconds (events commit within one).</summary>
    public async Task<IReadOnlyList<string>> EventuallyFindAsync(CompanyDirectoryQuery query, Func<IReadOnlyList<string>, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = await FindAsync(query);
            if (done(found))
            {
                return found;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(3))
            {
                throw new Xunit.Sdk.XunitException($"not found within three seconds; last found: {string.Join(", ", found)}");
            }

            await Task.Delay(20);
        }
    }
}
