using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// What lets several ingestion writers share a PostgreSQL, seen transaction by transaction: a key is claimed by one
/// writer only (another waits for its commit or rollback), and a walk of the log by seq never passes an event a writer
/// has not committed yet (<see cref="EventLogWatermark"/>).
/// </summary>
public sealed class ConcurrentEventWritersOnPostgresTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Blocked = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task AKeyClaimedByAnUncommittedWriterIsNotGivenToASecondWriterOnceTheFirstCommits()
    {
        var environmentId = $"env_claims_{Guid.NewGuid():N}";
        await using var first = await OpenAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        Assert.Empty(await IdempotencyClaims.ClaimAsync(first, [(environmentId, "shared", null)], Now));

        await using var second = await OpenAsync();
        await using var secondTransaction = await second.BeginTransactionAsync();
        var secondClaim = IdempotencyClaims.ClaimAsync(second, [(environmentId, "other", null), (environmentId, "shared", null)], Now);
        Assert.False(await Finishes(secondClaim), "the second writer must wait for the first one's claim");

        await firstTransaction.CommitAsync();
        var taken = await secondClaim;
        Assert.Equal([(environmentId, "shared")], taken);
        await secondTransaction.CommitAsync();
    }

    [Fact]
    public async Task AKeyClaimedByAWriterThatRollsBackGoesToTheWriterWaitingForIt()
    {
        var environmentId = $"env_claims_{Guid.NewGuid():N}";
        await using var first = await OpenAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        Assert.Empty(await IdempotencyClaims.ClaimAsync(first, [(environmentId, "shared", null)], Now));

        await using var second = await OpenAsync();
        await using var secondTransaction = await second.BeginTransactionAsync();
        var secondClaim = IdempotencyClaims.ClaimAsync(second, [(environmentId, "shared", null)], Now);
        Assert.False(await Finishes(secondClaim), "the second writer must wait for the first one's claim");

        // The first writer's transaction fails (its commit never happened): the key was never used.
        await firstTransaction.RollbackAsync();
        Assert.Empty(await secondClaim);
        await secondTransaction.CommitAsync();
    }

    [Fact]
    public async Task AClaimWithOneUsedKeyStillClaimsItsFreshKeysAndKeepsWhatTheTransactionDidBefore()
    {
        // The fresh-key insert fails as a whole on the used key; the fallback must claim the others all the same.
        var environmentId = $"env_claims_{Guid.NewGuid():N}";
        await using (var earlier = await OpenAsync())
        {
            await using var earlierTransaction = await earlier.BeginTransactionAsync();
            Assert.Empty(await IdempotencyClaims.ClaimAsync(earlier, [(environmentId, "used", null)], Now));
            await earlierTransaction.CommitAsync();
        }

        await using var writer = await OpenAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await writer.ExecuteAsync("CREATE TEMPORARY TABLE claim_witness (n integer) ON COMMIT DROP; INSERT INTO claim_witness VALUES (1)");
        var taken = await IdempotencyClaims.ClaimAsync(writer, [(environmentId, "a", null), (environmentId, "used", null), (environmentId, "z", null)], Now);
        Assert.Equal([(environmentId, "used")], taken);
        Assert.Equal(1, await writer.ExecuteScalarAsync<int>("SELECT count(*) FROM claim_witness"));
        await transaction.CommitAsync();

        await using var reader = await OpenAsync();
        var claimed = await reader.QueryAsync<string>(
            "SELECT idempotency_key FROM idempotency_claims WHERE environment_id = @environmentId ORDER BY idempotency_key", new { environmentId });
        Assert.Equal<string>(["a", "used", "z"], claimed);
    }

    [Fact]
    public async Task AnExpiredClaimIsClaimedAgainAndAFreshKeyOfTheSameClaimIsHeld()
    {
        var environmentId = $"env_claims_{Guid.NewGuid():N}";
        var longAgo = Now - (long)IdempotencyWindow.Length.TotalMilliseconds - 60_000;
        await using (var earlier = await OpenAsync())
        {
            await using var earlierTransaction = await earlier.BeginTransactionAsync();
            Assert.Empty(await IdempotencyClaims.ClaimAsync(earlier, [(environmentId, "expired", null)], longAgo));
            await earlierTransaction.CommitAsync();
        }

        await using var first = await OpenAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        Assert.Empty(await IdempotencyClaims.ClaimAsync(first, [(environmentId, "expired", null), (environmentId, "fresh", null)], Now));

        // Both keys are the first writer's now: a second writer waits, then finds both taken.
        await using var second = await OpenAsync();
        await using var secondTransaction = await second.BeginTransactionAsync();
        var secondClaim = IdempotencyClaims.ClaimAsync(second, [(environmentId, "expired", null), (environmentId, "fresh", null)], Now);
        Assert.False(await Finishes(secondClaim), "the second writer must wait for the first one's claims");
        await firstTransaction.CommitAsync();
        Assert.Equal<(string, string)>([(environmentId, "expired"), (environmentId, "fresh")], (await secondClaim).OrderBy(k => k.Key, StringComparer.Ordinal));
        await secondTransaction.CommitAsync();
    }

    [Fact]
    public async Task FreshKeysAreClaimedWithTheirAnswersAndExpiryAndAreTakenForTheNextClaim()
    {
        // Many keys at once, every other one with an answer to replay: each stored as given, with its expiry.
        var environmentId = $"env_claims_{Guid.NewGuid():N}";
        var keys = Enumerable.Range(0, 3_000).Select(i => (EnvironmentId: environmentId, Key: $"key-{i:D5}", Answer: i % 2 == 0 ? $$"""{"answer":{{i}}}""" : null)).ToList();
        var now = Now;
        await using (var writer = await OpenAsync())
        {
            await using var transaction = await writer.BeginTransactionAsync();
            Assert.Empty(await IdempotencyClaims.ClaimAsync(writer, [.. keys.AsEnumerable().Reverse()], now, EventLogWatermark.HoldCommand()));
            await transaction.CommitAsync();
        }

        await using var reader = await OpenAsync();
        var stored = (await reader.QueryAsync<(string Key, long ExpiresAt, string? Answer)>(
            "SELECT idempotency_key, expires_at, answer FROM idempotency_claims WHERE environment_id = @environmentId ORDER BY idempotency_key",
            new { environmentId })).ToList();
        Assert.Equal(keys.Select(k => (k.Key, now + (long)IdempotencyWindow.Length.TotalMilliseconds, k.Answer)), stored);

        await using var again = await OpenAsync();
        await using var againTransaction = await again.BeginTransactionAsync();
        var taken = await IdempotencyClaims.ClaimAsync(again, [.. keys.Take(10), (environmentId, "new", null)], Now);
        Assert.Equal(keys.Take(10).Select(k => (k.EnvironmentId, k.Key)), taken.OrderBy(k => k.Key, StringComparer.Ordinal));
        await againTransaction.CommitAsync();
    }

    [Fact]
    public async Task TheWatermarkWaitsForAWriterWithALowerSeqThatCommitsAfterAHigherOne()
    {
        var database = server.Services.GetRequiredService<Database>();
        var environmentId = $"env_watermark_{Guid.NewGuid():N}";

        // The slow writer takes the lower seq and has not committed yet.
        await using var slow = await OpenAsync();
        await using var slowTransaction = await slow.BeginTransactionAsync();
        await EventLogWatermark.HoldAsync(slow);
        var lower = await InsertEventAsync(slow, environmentId);

        // A fast writer takes a higher seq and commits first.
        await using (var fast = await OpenAsync())
        {
            await using var fastTransaction = await fast.BeginTransactionAsync();
            await EventLogWatermark.HoldAsync(fast);
            var higher = await InsertEventAsync(fast, environmentId);
            Assert.True(higher > lower);
            await fastTransaction.CommitAsync();
        }

        // A walk that trusted the highest committed seq would pass the lower one for good; the watermark waits instead.
        var watermark = EventLogWatermark.CommittedThroughAsync(database, CancellationToken.None);
        Assert.False(await Finishes(watermark), "the watermark must wait for the writer still holding a lower seq");
        await slowTransaction.CommitAsync();
        var through = await watermark;
        Assert.True(through > lower);

        await using var reader = await OpenAsync();
        var walked = await reader.QueryAsync<long>(
            "SELECT seq FROM events WHERE environment_id = @environmentId AND seq <= @through ORDER BY seq", new { environmentId, through });
        Assert.Equal(2, walked.Count());
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static async Task<bool> Finishes(Task task) => await Task.WhenAny(task, Task.Delay(Blocked)) == task;

    private async Task<NpgsqlConnection> OpenAsync() =>
        (NpgsqlConnection)await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);

    private static Task<long> InsertEventAsync(NpgsqlConnection connection, string environmentId) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO events (environment_id, event_type, event_subtype, company_id, quantity, occurred_at, received_at, backfill, body)
            VALUES (@environmentId, 'track', 'watermark', 'nobody', 1, 0, 0, 0, '{}') RETURNING seq
            """,
            new { environmentId });
}
