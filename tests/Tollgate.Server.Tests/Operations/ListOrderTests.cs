using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Operations;

/// <summary>Lists are oldest first; records made in the same millisecond list in the order they were made.</summary>
public abstract class ListOrderTests(TollgateFactory server)
{
    [Fact]
    public async Task RecordsMadeInTheSameMillisecondListInTheOrderTheyWereMade()
    {
        var api = await server.NewEnvironmentAsync();
        string[] names = ["Zeta", "Alpha", "Mu", "Beta", "Omega", "Delta"];
        var auto = server.Time.AutoAdvanceAmount;
        server.Time.AutoAdvanceAmount = TimeSpan.Zero; // every record gets the same created_at: only the tie-break orders them
        try
        {
            foreach (var name in names)
            {
                await Given.PlanAsync(api, name);
                await Given.BooleanFeatureAsync(api, name.ToLowerInvariant());
            }
        }
        finally
        {
            server.Time.AutoAdvanceAmount = auto;
        }

        var plans = (await api.GetAsync("/plans")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(p => p.GetProperty("name").GetString());
        var features = (await api.GetAsync("/features")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(p => p.GetProperty("name").GetString());
        var flags = (await api.GetAsync("/flags")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(p => p.GetProperty("key").GetString());
        var page = (await api.GetAsync("/plans?limit=2&offset=2")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(p => p.GetProperty("name").GetString());

        Assert.Equal(names, plans);
        Assert.Equal(names.Select(n => n.ToLowerInvariant()), features);
        Assert.Equal(names.Select(n => n.ToLowerInvariant()), flags);
        Assert.Equal(["Mu", "Beta"], page);
    }
}

public sealed class ListOrderTestsOnSqlite(SqliteServer server) : ListOrderTests(server), IClassFixture<SqliteServer>;

public sealed class ListOrderTestsOnPostgres(PostgresServer server) : ListOrderTests(server), IClassFixture<PostgresServer>;
