using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Reads of several areas sent as one command (<see cref="ReadBatch"/>, what a cold check loads a company with): each
/// part gets its own rows, in the order added, even when parts write the same SQL with other values; a failing statement
/// fails it and the parts after it, not those before; and every part's settled action runs exactly once, also when the
/// batch is never run, so a lock held for a part is always given back.
/// </summary>
public abstract class ReadBatchTests(TollgateFactory server)
{
    private Database Database => server.Services.GetRequiredService<Database>();

    [Fact]
    public async Task EachPartGetsItsOwnRowsInOneCommand()
    {
        using var batch = new ReadBatch();
        var settled = new List<string>();
        var first = batch.Add<long, long>(p => $"SELECT CAST({p.Value(7L)} AS BIGINT) + 1", rows => rows.Single(), () => settled.Add("first"));
        var second = batch.Add<long, long>(p => $"SELECT CAST({p.Value(40L)} AS BIGINT) + 1", rows => rows.Single(), () => settled.Add("second"));
        var none = batch.Add<string>(p => $"SELECT id FROM resources WHERE id = {p.Value("no such resource")}");

        await batch.RunAsync(Database, CancellationToken.None);

        Assert.Equal(8, await first);
        Assert.Equal(41, await second);
        Assert.Empty(await none);
        Assert.Equal(["first", "second"], settled);
    }

    [Fact]
    public async Task AFailingStatementFailsItselfAndThePartsAfterItAndSettlesEachOnce()
    {
        using var batch = new ReadBatch();
        var settled = new List<string>();
        var before = batch.Add<long, long>(p => $"SELECT CAST({p.Value(1L)} AS BIGINT)", rows => rows.Single(), () => settled.Add("before"));
        var failing = batch.Add<long, long>(_ => "SELECT value FROM no_such_table", rows => rows.Single(), () => settled.Add("failing"));
        var after = batch.Add<long, long>(p => $"SELECT CAST({p.Value(2L)} AS BIGINT)", rows => rows.Single(), () => settled.Add("after"));

        await Assert.ThrowsAnyAsync<Exception>(() => batch.RunAsync(Database, CancellationToken.None));

        // SQLite runs the statements one by one, so the part before the failure has its rows; PostgreSQL refuses the
        // whole command, so it fails too. Either way no part is left waiting and each lock is given back once.
        if (before.IsCompletedSuccessfully)
        {
            Assert.Equal(1, await before);
        }
        else
        {
            await Assert.ThrowsAnyAsync<Exception>(() => before);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => failing);
        await Assert.ThrowsAnyAsync<Exception>(() => after);
        Assert.Equal(["after", "before", "failing"], settled.Order());
    }

    [Fact]
    public async Task ABatchNeverRunCancelsItsPartsAndGivesBackWhatTheyHeld()
    {
        var settled = 0;
        Task<long> part;
        using (var batch = new ReadBatch())
        {
            part = batch.Add<long, long>(p => $"SELECT CAST({p.Value(1L)} AS BIGINT)", rows => rows.Single(), () => settled++);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => part);
        Assert.Equal(1, settled);
    }
}

public sealed class ReadBatchTestsOnSqlite(SqliteServer server) : ReadBatchTests(server), IClassFixture<SqliteServer>;

public sealed class ReadBatchTestsOnPostgres(PostgresServer server) : ReadBatchTests(server), IClassFixture<PostgresServer>;
