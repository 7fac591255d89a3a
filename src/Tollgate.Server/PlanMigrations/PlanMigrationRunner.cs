using System.Data.Common;
using Microsoft.Extensions.Options;
using Tollgate.Server.Background;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// Works off a migration in batches of <see cref="PlanMigrationOptions.BatchSize"/> companies, each batch one
/// transaction in which the companies move and their rows say so; after each commit the moved companies are published
/// on the change feed, so checks see the new version. One node at a time runs an environment's migrations (an advisory
/// lock on PostgreSQL; one runner per process on SQLite). All state is in the database: a batch cut short by a stop
/// rolls back whole, and the next start resumes with the rows still pending.
/// A company billed through Stripe moves on its own: its subscription items change first (outside any transaction;
/// repeating it is harmless), then the company and its row in one transaction, then its subscription is synced back.
/// </summary>
internal sealed partial class PlanMigrationRunner(
    PlanMigrationStore store,
    CompanyVersionMoves moves,
    ResourceStore resources,
    RuntimeRegistry runtimes,
    ChangeFeed changes,
    IServiceProvider services,
    IOptions<PlanMigrationOptions> options,
    TimeProvider time,
    ILogger<PlanMigrationRunner> logger) : IDisposable
{
    private readonly StripedLocks _local = new(32);

    /// <summary>
    /// Runs the migration until no company of it is left to move or it was cancelled. With <paramref name="wait"/> false,
    /// answers false at once when another node is running the environment's migrations.
    /// </summary>
    public async Task<bool> RunAsync(string environmentId, string migrationId, bool wait, CancellationToken cancellationToken)
    {
        using var local = await _local.AcquireAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var key = AdvisoryLockNames.PlanMigrations(environmentId);
        await using var node = wait
            ? await AdvisoryLock.AcquireAsync(store.Database, key, cancellationToken).ConfigureAwait(false)
            : await AdvisoryLock.TryAcquireAsync(store.Database, key, cancellationToken).ConfigureAwait(false);
        if (node is null)
        {
            return false;
        }

        var settings = options.Value;
        while (await RunBatchAsync(environmentId, migrationId, settings.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            if (settings.BatchPause > TimeSpan.Zero)
            {
                // A pause, not a clock reading: real time even under a test's fake clock.
                await Task.Delay(settings.BatchPause, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    public void Dispose() => _local.Dispose();

    /// <summary>One batch; answers whether another may follow.</summary>
    private async Task<bool> RunBatchAsync(string environmentId, string migrationId, int batchSize, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var billing = services.GetService(typeof(IPlanMigrationBilling)) as IPlanMigrationBilling;
        var written = new List<string>();
        var (migration, billed) = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var m = await store.GetForUpdateAsync(connection, transaction, environmentId, migrationId).ConfigureAwait(false);
                if (m is null || !m.IsOpen)
                {
                    return (m, (List<(CompanyMigrationRow, CompanyRecord)>?)null);
                }

                var now = time.GetUtcNow();
                if (m.Status == PlanMigrationValues.Pending)
                {
                    m = m with { Status = PlanMigrationValues.InProgress, StartedAt = m.StartedAt ?? now, UpdatedAt = now };
                    await PlanMigrationStore.UpdateAsync(connection, transaction, environmentId, m).ConfigureAwait(false);
                }

                var rows = await PlanMigrationStore.NextAsync(connection, transaction, environmentId, migrationId, batchSize).ConfigureAwait(false);
                if (rows.Count == 0)
                {
                    await FinishAsync(connection, transaction, environmentId, m, now).ConfigureAwait(false);
                    return (m, null);
                }

                var companies = (await resources.GetManyForUpdateAsync<CompanyRecord>(connection, transaction, environmentId, ResourceKinds.Company, [.. rows.Select(r => r.CompanyId)]).ConfigureAwait(false))
                    .ToDictionary(c => c.Id, StringComparer.Ordinal);
                var later = new List<(CompanyMigrationRow, CompanyRecord)>();
                var plain = new List<CompanyMigrationRow>();
                foreach (var row in rows)
                {
                    if (billing is not null && companies.TryGetValue(row.CompanyId, out var company) && company.Billing?.SubscriptionId is not null)
                    {
                        row.Status = PlanMigrationValues.InProgress;
                        row.StartedAt ??= now.ToUnixTimeMilliseconds();
                        row.UpdatedAt = now.ToUnixTimeMilliseconds();
                        await PlanMigrationStore.UpdateRowAsync(connection, transaction, environmentId, row).ConfigureAwait(false);
                        later.Add((row, company));
                    }
                    else
                    {
                        plain.Add(row);
                    }
                }

                await MoveAsync(connection, transaction, environmentId, catalog, m, plain, written, now).ConfigureAwait(false);
                return (m, later);
            },
            cancellationToken).ConfigureAwait(false);
        await PublishAsync(environmentId, written).ConfigureAwait(false);
        if (billed is null || migration is null)
        {
            return false;
        }

        foreach (var (row, company) in billed)
        {
            await MoveBilledAsync(environmentId, migration, row, company, billing!, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// A Stripe-billed company: its subscription first, then (in one transaction) the company and its row, then the
    /// subscription synced back. A cancel that came meanwhile stops a company whose subscription was not changed yet; one
    /// whose subscription was changed is moved all the same, so Tollgate and Stripe agree.
    /// </summary>
    private async Task MoveBilledAsync(string environmentId, PlanMigrationRecord migration, CompanyMigrationRow row, CompanyRecord company, IPlanMigrationBilling billing, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(environmentId, migration.Id, cancellationToken).ConfigureAwait(false) is not { IsOpen: true } current)
        {
            return;
        }

        var proration = current.EffectiveStrategy == PlanMigrationValues.EndOfBillingPeriod ? "none" : current.ProrationBehavior;
        var result = await billing.MoveAsync(environmentId, company, current.PlanVersionIdsFrom, current.PlanVersionIdTo, proration, cancellationToken).ConfigureAwait(false);
        var catalog = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var written = new List<string>();
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var now = time.GetUtcNow();
                var held = await store.GetRowForUpdateAsync(connection, transaction, environmentId, row.Id).ConfigureAwait(false);
                if (held is null || held.Status is PlanMigrationValues.Completed or PlanMigrationValues.Skipped || (held.Status == PlanMigrationValues.Cancelled && !result.Succeeded))
                {
                    return 0;
                }

                if (!result.Succeeded)
                {
                    held.Status = PlanMigrationValues.Failed;
                    held.Error = result.Error;
                    held.ErrorCode = result.ErrorCode ?? "unknown";
                    held.UpdatedAt = now.ToUnixTimeMilliseconds();
                    await PlanMigrationStore.UpdateRowAsync(connection, transaction, environmentId, held).ConfigureAwait(false);
                    return 0;
                }

                await MoveAsync(connection, transaction, environmentId, catalog, current, [held], written, now).ConfigureAwait(false);
                return 0;
            },
            cancellationToken).ConfigureAwait(false);
        await PublishAsync(environmentId, written).ConfigureAwait(false);
        if (result.Succeeded)
        {
            await billing.FollowAsync(environmentId, company, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves the rows' companies and writes each row's outcome, inside the caller's transaction.</summary>
    private async Task MoveAsync(
        DbConnection connection,
        DbTransaction transaction,
        string environmentId,
        CatalogSnapshot catalog,
        PlanMigrationRecord migration,
        List<CompanyMigrationRow> rows,
        List<string> written,
        DateTimeOffset now)
    {
        if (rows.Count == 0)
        {
            return;
        }

        // Written under the key that created the migration, so the audit log names who asked for each move.
        var scope = new RequestScope(environmentId, migration.CreatedByKeyId ?? "plan-migrations", ApiKeyKind.Secret);
        var outcomes = await moves.MoveAsync(
            connection, transaction, scope, catalog, [.. rows.Select(r => r.CompanyId)], migration.PlanId, migration.PlanVersionIdsFrom, migration.PlanVersionIdTo,
            migration.EffectiveStrategy == PlanMigrationValues.EndOfBillingPeriod, now).ConfigureAwait(false);
        var at = now.ToUnixTimeMilliseconds();
        foreach (var row in rows)
        {
            var outcome = outcomes[row.CompanyId];
            row.StartedAt ??= at;
            row.UpdatedAt = at;
            if (outcome.OnTarget)
            {
                row.Status = PlanMigrationValues.Completed;
                row.CompletedAt = at;
                row.ScheduledFor = outcome.ScheduledFor?.ToUnixTimeMilliseconds();
                row.Error = null;
                row.ErrorCode = null;
            }
            else
            {
                row.Status = PlanMigrationValues.Skipped;
                row.ErrorCode = PlanMigrationValues.NotOnOriginVersion;
                row.Error = outcome.FromVersionId is null
                    ? "the company no longer has the plan"
                    : $"the company is on version {outcome.FromVersionId}, not one the migration moves from";
            }

            if (outcome.Written)
            {
                written.Add(row.CompanyId);
            }

            await PlanMigrationStore.UpdateRowAsync(connection, transaction, environmentId, row).ConfigureAwait(false);
        }
    }

    /// <summary>No company left to move: completed, or failed when some companies failed (retry them by error code).</summary>
    private async Task FinishAsync(DbConnection connection, DbTransaction transaction, string environmentId, PlanMigrationRecord migration, DateTimeOffset now)
    {
        var failed = await PlanMigrationStore.CountInStatusAsync(connection, transaction, environmentId, migration.Id, PlanMigrationValues.Failed).ConfigureAwait(false);
        var done = migration with
        {
            Status = failed > 0 ? PlanMigrationValues.Failed : PlanMigrationValues.Completed,
            Error = failed > 0 ? $"{failed} companies failed to move; retry them by error code" : null,
            CompletedAt = now,
            UpdatedAt = now,
        };
        await PlanMigrationStore.UpdateAsync(connection, transaction, environmentId, done).ConfigureAwait(false);
        LogFinished(environmentId, migration.Id, done.Status, failed);
    }

    private async Task PublishAsync(string environmentId, List<string> companyIds)
    {
        if (companyIds.Count > 0)
        {
            await changes.PublishAsync(new Change(environmentId, ChangeKind.Company, [.. companyIds])).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan version migration {MigrationId} of environment {EnvironmentId} finished: {Status} ({Failed} companies failed)")]
    private partial void LogFinished(string environmentId, string migrationId, string status, long failed);
}
