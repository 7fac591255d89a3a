using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Companies;

/// <summary>
/// A projection's readers during a start-up rebuild (which runs for hours at 1,000,000 companies): a read answers at
/// once with the rows built so far instead of waiting for the rebuild, and a company changed meanwhile is still written.
/// The projection here holds its rebuild's first write until the test ends, as a long rebuild would.
/// </summary>
public abstract class CompanyProjectionRebuildTests(TollgateFactory server)
{
    [Fact]
    public async Task AReadWhileALongStartUpRebuildIsPendingDoesNotWaitForItAndACompanyChangedMeanwhileIsStillWritten()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "first");
        using var projection = new HeldRebuildProjection(
            server.Services.GetRequiredService<ResourceStore>(),
            server.Services.GetRequiredService<EnvironmentStore>(),
            server.Services.GetRequiredService<ChangeFeed>(),
            server.Time);
        await projection.StartAsync(CancellationToken.None);
        try
        {
            await projection.RebuildHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));

            var read = Stopwatch.StartNew();
            Assert.True(await projection.CatchUpAsync(TimeSpan.FromSeconds(30), CancellationToken.None), "the read caught up although the rebuild is held");
            Assert.True(read.Elapsed < TimeSpan.FromSeconds(10), $"the read waited {read.Elapsed}");

            var changed = await Given.CompanyAsync(api, "changed during the rebuild");
            var deadline = Stopwatch.StartNew();
            while (!projection.Refreshed.ContainsKey(changed) && deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                Assert.True(await projection.CatchUpAsync(TimeSpan.FromSeconds(30), CancellationToken.None), "a read during the rebuild caught up");
                await Task.Delay(50);
            }

            Assert.True(projection.Refreshed.ContainsKey(changed), "the company changed during the rebuild was written while the rebuild was held");
            Assert.False(projection.RebuildReleased, "the rebuild was still held");
        }
        finally
        {
            projection.Release();
            await projection.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// A projection whose environments all look mismatched at start (so each is rebuilt) and whose first rebuild write
    /// waits until <see cref="Release"/>; it records the companies refreshed one by one.
    /// </summary>
    private sealed class HeldRebuildProjection(ResourceStore store, EnvironmentStore environments, ChangeFeed changes, TimeProvider time)
        : CompanyProjectionRefresher(store, environments, changes, time, NullLogger.Instance)
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource RebuildHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentDictionary<string, bool> Refreshed { get; } = new(StringComparer.Ordinal);

        public bool RebuildReleased => _release.Task.IsCompleted;

        protected override int BatchSize => 100;

        protected override string Projection => "held test projection";

        public void Release() => _release.TrySetResult();

        protected override async Task WriteAsync(string environmentId, IReadOnlyList<CompanyRecord> companies, IReadOnlyCollection<string> askedFor, CancellationToken cancellationToken)
        {
            if (askedFor.Count == 0)
            {
                // A rebuild batch: held, as a rebuild of a million companies is for hours.
                RebuildHeld.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
                return;
            }

            foreach (var company in companies)
            {
                Refreshed[company.Id] = true;
            }
        }

        protected override Task DeleteOrphansAsync(string environmentId, CancellationToken cancellationToken) => Task.CompletedTask;

        protected override Task<(long Rows, long Companies)> SizesAsync(string environmentId, CancellationToken cancellationToken) =>
            Task.FromResult((0L, 1L));

        protected override Task<IReadOnlyList<(string EnvironmentId, string CompanyId)>> StaleAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(string, string)>>([]);
    }
}

public sealed class CompanyProjectionRebuildTestsOnSqlite(SqliteServer server) : CompanyProjectionRebuildTests(server), IClassFixture<SqliteServer>;

public sealed class CompanyProjectionRebuildTestsOnPostgres(PostgresServer server) : CompanyProjectionRebuildTests(server), IClassFixture<PostgresServer>;
