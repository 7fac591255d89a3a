using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Retention;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Startup;

/// <summary>
/// Retention, with the server's clock moved: delivered meter-outbox rows go after 35 days, events and audit entries
/// after 400; undelivered outbox rows (pending, failed, skipped) stay whatever their age, and so do the usage counters.
/// The background cleanup runs on the server's clock.
/// </summary>
public abstract class RetentionTests(TollgateFactory server)
{
    [Fact]
    public async Task TheBackgroundCleanupDeletesWhatOutlivedItsRetentionAndKeepsWhatBillingStillNeeds()
    {
        var environment = await server.NewEnvironmentAsync();
        var env = environment.EnvironmentId!;
        var database = server.Services.GetRequiredService<Database>();
        var now = server.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await SeedAsync(database, env, now);
        Assert.Equal((1, 1, 4, 1), await CountAsync(database, env));

        // 36 days on: the delivered outbox row is past 35 days; nothing else is due yet.
        server.Time.Advance(TimeSpan.FromDays(36));
        await EventuallyAsync(database, env, (1, 1, 3, 1));

        // 401 days on: events and audit entries go too; the undelivered rows and the counter stay.
        server.Time.Advance(TimeSpan.FromDays(365));
        await EventuallyAsync(database, env, (0, 0, 3, 1));
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var left = (await connection.QueryAsync<string>("SELECT status FROM meter_outbox WHERE environment_id = @env ORDER BY status", new { env })).ToList();
        Assert.Equal(new[] { "failed", "pending", "skipped" }, left);
    }

    [Fact]
    public async Task ACleanupDeletesInChunksAndKeepsRowsYoungerThanTheCutoff()
    {
        var environment = await server.NewEnvironmentAsync();
        var env = environment.EnvironmentId!;
        var database = server.Services.GetRequiredService<Database>();
        var start = server.Time.GetUtcNow();
        for (var i = 0; i < 12; i++)
        {
            await InsertEventAsync(database, env, start.AddDays(i).ToUnixTimeMilliseconds());
        }

        // The cutoff falls after the 7th event: 7 go, in chunks of 5 (the walk continues past a full expired chunk).
        var cleanup = new RetentionCleanup(
            database,
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(start.AddDays(406.5)),
            Microsoft.Extensions.Options.Options.Create(new RetentionOptions { BatchSize = 5, AuditLog = null, DeliveredMeterRows = null }));
        var result = await cleanup.RunOnceAsync(CancellationToken.None);

        Assert.NotNull(result);
        Assert.True(result.Events >= 7, $"{result.Events} events deleted");
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(5, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE environment_id = @env", new { env }));
    }

    private static async Task SeedAsync(Database database, string env, long now)
    {
        await InsertEventAsync(database, env, now);
        await database.WriteAsync(
            async (connection, transaction) =>
            {
                foreach (var (status, deliveredAt) in new[] { ("delivered", (long?)now), ("pending", null), ("failed", null), ("skipped", null) })
                {
                    await connection.ExecuteAsync(
                        """
                        INSERT INTO meter_outbox (environment_id, company_id, event_subtype, quantity, occurred_at, created_at, delivered_at, status)
                        VALUES (@env, 'comp_retention', 'api_call', 1, @now, @now, @deliveredAt, @status)
                        """,
                        new { env, now, deliveredAt, status },
                        transaction);
                }

                return await connection.ExecuteAsync(
                    "INSERT INTO usage_counters (environment_id, company_id, event_subtype, period, bucket, value) VALUES (@env, 'comp_retention', 'api_call', 0, 0, 1)",
                    new { env },
                    transaction);
            },
            CancellationToken.None);
    }

    private static Task<int> InsertEventAsync(Database database, string env, long receivedAt) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                """
                INSERT INTO events (environment_id, event_type, event_subtype, company_id, user_id, quantity, occurred_at, received_at, backfill, idempotency_key, body)
                VALUES (@env, 'track', 'api_call', 'comp_retention', NULL, 1, @receivedAt, @receivedAt, 0, NULL, '{}')
                """,
                new { env, receivedAt },
                transaction),
            CancellationToken.None);

    /// <summary>(events, audit entries, outbox rows, usage counters) of the environment.</summary>
    private static async Task<(long, long, long, long)> CountAsync(Database database, string env)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return (
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE environment_id = @env", new { env }),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE environment_id = @env", new { env }),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_outbox WHERE environment_id = @env", new { env }),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM usage_counters WHERE environment_id = @env", new { env }));
    }

    /// <summary>Waits (real time, at most 10 s) for the background cleanup to bring the counts to <paramref name="expected"/>.</summary>
    private static async Task EventuallyAsync(Database database, string env, (long, long, long, long) expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await CountAsync(database, env) is var counts && counts != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"counts stayed {counts}, expected {expected}");
            await Task.Delay(20);
        }
    }
}

public sealed class RetentionTestsOnSqlite(SqliteServer server) : RetentionTests(server), IClassFixture<SqliteServer>;

public sealed class RetentionTestsOnPostgres(PostgresServer server) : RetentionTests(server), IClassFixture<PostgresServer>;
