using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Companies;

/// <summary>
/// The companies list's directory on two nodes of one PostgreSQL: a node refreshes it for the other nodes' changes too,
/// so a write whose own node never refreshes (it stopped right after the commit) still reaches the list.
/// </summary>
public sealed class CompanyDirectoryAcrossNodesTests(PostgresNodes nodes) : IClassFixture<PostgresNodes>
{
    [Fact]
    public async Task APlanChangeOnANodeThatDoesNotRefreshReachesTheDirectoryThroughTheOtherNode()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        var company = await s.CompanyAsync("moved", s.Starter, seats: 1);
        var scope = new RequestScope(s.Api.EnvironmentId!, null, ApiKeyKind.Secret);
        var directory = nodes.B.Services.GetRequiredService<CompanyDirectory>();
        Assert.Equal(s.Starter, await PlanInDirectoryAsync(directory, scope, s.Starter, "moved"));

        // Node A stops refreshing (as if it stopped right after its commit), then changes the plan.
        await nodes.A.Services.GetServices<IHostedService>().OfType<CompanyDirectoryRefresher>().Single().StopAsync(CancellationToken.None);
        (await s.Api.PutAsync($"/company-plans/{company}", new { basePlanId = s.Pro, addOnIds = Array.Empty<string>() })).ShouldBe(HttpStatusCode.OK);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? plan = null;
        while (DateTime.UtcNow < deadline && (plan = await PlanInDirectoryAsync(directory, scope, s.Pro, "moved")) is null)
        {
            await Task.Delay(100);
        }

        Assert.Equal(s.Pro, plan);
        Assert.Null(await PlanInDirectoryAsync(directory, scope, s.Starter, "moved"));
    }

    /// <summary>The plan of the company named <paramref name="name"/> in the directory's list filtered to <paramref name="planId"/>, or null when it is not there.</summary>
    private static async Task<string?> PlanInDirectoryAsync(CompanyDirectory directory, RequestScope scope, string planId, string name)
    {
        var page = await directory.FindAsync(scope, new CompanyDirectoryQuery { Q = name, PlanId = planId, Page = 1, PageSize = 10 }, CancellationToken.None);
        return page.Rows.SingleOrDefault(r => r.Name == name)?.PlanId;
    }
}
