using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Companies;

/// <summary>
/// A rebuild works out a few batches at once (<c>RebuildBatchesInFlight</c>), so one batch's reads and work overlap
/// another's write; a company changed while its batch is in flight is still written last from a read after its change.
/// </summary>
public abstract class CompanyProjectionRebuildBatchesTests(TollgateFactory server)
{
    private const int Companies = 10;

    [Fact]
    public async Task ARebuildHasSeveralBatchesInFlightAndACompanyChangedWhileItsBatchWasInFlightIsWrittenAgainAfterIt()
    {
        var api = await server.NewEnvironmentAsync();
        var environmentId = api.EnvironmentId!;
        var ids = new List<string>();
        for (var i = 0; i < Companies; i++)
        {
            ids.Add(await Given.CompanyAsync(api, $"batch-{i:00}"));
        }

        using var projection = new HeldBatchesProjection(
            server.Services.GetRequiredService<ResourceStore>(),
            server.Services.GetRequiredService<EnvironmentStore>(),
            server.Services.GetRequiredService<ChangeFeed>(),
            server.Time);
        await projection.StartAsync(CancellationToken.None);
        try
        {
            var rebuild = projection.RebuildAsync(environmentId, CancellationToken.None);

            // Batches of 2 companies, 3 in flight: the first three are held together, and the fourth waits for one of them.
            await projection.ThreeHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(200);
            Assert.Equal(3, projection.Held);

            // A company of the first batch changes while its batch is held (read, not yet written).
            var changed = ids.Order(StringComparer.Ordinal).First();
            await server.Services.GetRequiredService<ChangeFeed>().PublishAsync(new Change(environmentId, ChangeKind.Company, [changed]));
            projection.Release();
            await rebuild.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(await projection.CatchUpAsync(TimeSpan.FromSeconds(30), CancellationToken.None));

            // Every company rebuilt once; the changed one written again after its rebuild batch's (older) write.
            var writes = projection.Writes.ToList();
            Assert.Equal(ids.Order(StringComparer.Ordinal), writes.Where(w => w.Rebuild).Select(w => w.CompanyId).Order(StringComparer.Ordinal));
            Assert.False(writes.Last(w => w.CompanyId == changed).Rebuild, "the last write of the changed company was its rebuild batch's, read before the change");
        }
        finally
        {
            projection.Release();
            await projection.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// A projection of 2-company batches whose rebuild batches are held until <see cref="Release"/>, counting how many are
    /// held at once; it records every company written, in order, and whether by a rebuild. Its start finds nothing to rebuild.
    /// </summary>
    private sealed class HeldBatchesProjection(ResourceStore store, EnvironmentStore environments, ChangeFeed changes, TimeProvider time)
        : CompanyProjectionRefresher(store, environments, changes, time, NullLogger.Instance)
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public TaskCompletionSource ThreeHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Held => Volatile.Read(ref _held);

        public ConcurrentQueue<(string CompanyId, bool Rebuild)> Writes { get; } = new();

        protected override int BatchSize => 2;

        protected override string Projection => "held batches test projection";

        public void Release() => _release.TrySetResult();

        protected override async Task WriteAsync(string environmentId, IReadOnlyList<CompanyRecord> companies, IReadOnlyCollection<string> askedFor, CancellationToken cancellationToken)
        {
            var rebuild = askedFor.Count == 0;
            if (rebuild)
            {
                if (Interlocked.Increment(ref _held) == 3)
                {
                    ThreeHeld.TrySetResult();
                }

                await _release.Task.WaitAsync(cancellationToken);
            }

            foreach (var company in companies)
            {
                Writes.Enqueue((company.Id, rebuild));
            }
        }

        protected override Task DeleteOrphansAsync(string environmentId, CancellationToken cancellationToken) => Task.CompletedTask;

        protected override Task<(long Rows, long Companies)> SizesAsync(string environmentId, CancellationToken cancellationToken) =>
            Task.FromResult((1L, 1L));

        protected override Task<IReadOnlyList<(string EnvironmentId, string CompanyId)>> StaleAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(string, string)>>([]);
    }
}

public sealed class CompanyProjectionRebuildBatchesTestsOnSqlite(SqliteServer server) : CompanyProjectionRebuildBatchesTests(server), IClassFixture<SqliteServer>;

public sealed class CompanyProjectionRebuildBatchesTestsOnPostgres(PostgresServer server) : CompanyProjectionRebuildBatchesTests(server), IClassFixture<PostgresServer>;
