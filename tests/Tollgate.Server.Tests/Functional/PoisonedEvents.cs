using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Makes the store itself refuse events of the subtype <c>poison</c> (a constraint on PostgreSQL, a trigger on
/// SQLite), so that tests can fail one event's commit inside the ingestion path, where no request validation reaches.
/// </summary>
internal static class PoisonedEvents
{
    /// <param name="server">The server whose store refuses (or accepts again).</param>
    /// <param name="guardName">The constraint's or trigger's name: distinct per test class.</param>
    /// <param name="refuse">True to start refusing, false to accept again.</param>
    public static async Task RefuseAsync(TollgateFactory server, string guardName, bool refuse)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var sql = (server.Store, refuse) switch
        {
            (StoreKind.Postgres, true) => $"ALTER TABLE events ADD CONSTRAINT {guardName} CHECK (event_subtype IS DISTINCT FROM 'poison') NOT VALID",
            (StoreKind.Postgres, false) => $"ALTER TABLE events DROP CONSTRAINT {guardName}",
            (_, true) => $"CREATE TRIGGER {guardName} BEFORE INSERT ON events WHEN NEW.event_subtype = 'poison' BEGIN SELECT RAISE(ABORT, 'poison'); END",
            _ => $"DROP TRIGGER {guardName}",
        };
        await connection.ExecuteAsync(sql);
    }
}
