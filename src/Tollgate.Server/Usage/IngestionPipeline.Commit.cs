using System.Data.Common;
using Npgsql;
using Tollgate.Server.Operations;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>One commit attempt of the ingestion writer.</summary>
internal sealed partial class IngestionPipeline
{
    /// <summary>How often one attempt plans again after the store named counters too full for the plan.</summary>
    private const int MaxPlans = 4;

    /// <summary>How often one attempt runs again after PostgreSQL broke a deadlock between writers by aborting it.</summary>
    private const int MaxDeadlockRetries = 3;

    private static readonly long KeyPruneIntervalMs = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    /// <summary>When keys past the window were last deleted (Unix ms); writers take turns through compare-and-swap.</summary>
    private long _lastKeyPruneMs = long.MinValue / 2;

    /// <summary>
    /// Commits <paramref name="events"/> in one transaction and decides their fates; answers the failure instead when
    /// nothing was written (their fates stay pending).
    /// </summary>
    private async Task<Exception?> TryCommitAsync(List<PendingEvent> events, PhaseProfile? profile = null)
    {
        var known = new Dictionary<CounterKey, long>();
        var deadlocks = 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CommitAsync(events, known, profile).ConfigureAwait(false);
                return null;
            }
            catch (CounterOverflowException overflow) when (attempt < MaxPlans)
            {
                // Another commit (or another node) filled counters meanwhile: plan again, knowing how full they are.
                foreach (var (key, value) in overflow.Stored)
                {
                    known[key] = value;
                }
            }
            catch (PostgresException conflict) when (conflict.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
                                                     && ++deadlocks <= MaxDeadlockRetries)
            {
                // Rows locked in different orders by two writers (credit leases, notices): PostgreSQL aborted this
                // transaction, so nothing of it was written and it may simply run again.
                LogDeadlockRetried(conflict, events.Count);
                attempt--;
            }
#pragma warning disable CA1031 // Whatever failed, nothing was written: the caller decides who is answered what.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                return exception;
            }
        }
    }

    private async Task CommitAsync(List<PendingEvent> events, IReadOnlyDictionary<CounterKey, long> known, PhaseProfile? profile)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var shared = database.Dialect.IsPostgres;
        if (!shared)
        {
            window.Prune();
        }

        // Keys past the window are deleted about once an hour, in a commit that writes anyway, by one writer at a time.
        var lastKeyPrune = Volatile.Read(ref _lastKeyPruneMs);
        var prunes = nowMs - lastKeyPrune > KeyPruneIntervalMs && Interlocked.CompareExchange(ref _lastKeyPruneMs, nowMs, lastKeyPrune) == lastKeyPrune;
        long? deleteKeysBefore = prunes ? window.ExpiredBefore : null;
        IReadOnlyList<(string EnvironmentId, string Key, long ReceivedAt)> spills = shared ? [] : window.TakeSpills();
        CommitPlan? plan = null;
        try
        {
            await counters.CommitAsync(() => database.WriteAsync<IReadOnlyDictionary<CounterKey, long>>(
                async (connection, transaction) =>
                {
                    profile.MarkIfProfiling("open");
                    plan = shared
                        ? await PlanSharedAsync((NpgsqlConnection)connection, events, known, nowMs, profile).ConfigureAwait(false)
                        : await PlanLocalAsync(connection, transaction, events, known, nowMs).ConfigureAwait(false);
                    if (!shared)
                    {
                        await IdempotencyWindow.SpillAsync(connection, transaction, spills).ConfigureAwait(false);
                    }

                    profile.MarkIfProfiling("plan");
                    await EventLogWriter.WriteAsync(connection, transaction, plan, nowMs, logKeys: !shared, deleteKeysBefore, profile).ConfigureAwait(false);
                    await BurnCreditsAsync(connection, transaction, plan.Fresh).ConfigureAwait(false);
                    if (plan.Fresh.Exists(p => p.Event.Limits.Count > 0))
                    {
                        await thresholds.RecordAsync(connection, transaction, plan.Fresh.Select(p => p.Event), plan.Deltas).ConfigureAwait(false);
                    }

                    profile.MarkIfProfiling("credits");
                    return plan.Deltas;
                },
                CancellationToken.None)).ConfigureAwait(false);
        }
        catch (Exception) when (prunes)
        {
            // The keys were not deleted: the next commit tries again.
            Interlocked.CompareExchange(ref _lastKeyPruneMs, lastKeyPrune, nowMs);
            throw;
        }

        // Committed: from here on nothing may fail the events.
        profile.MarkIfProfiling("commit");
        if (!shared)
        {
            window.Spilled(spills);
        }

        await AfterCommitAsync(plan!).ConfigureAwait(false);
    }

    /// <summary>
    /// PostgreSQL: the keys are claimed in the shared table, in this transaction, before anything is counted; the
    /// event log's watermark lock is taken in the same round trip, before any event takes a <c>seq</c>.
    /// </summary>
    private static async Task<CommitPlan> PlanSharedAsync(
        NpgsqlConnection connection, List<PendingEvent> events, IReadOnlyDictionary<CounterKey, long> known, long now, PhaseProfile? profile)
    {
        var first = new Dictionary<(string, string), PendingEvent>();
        foreach (var pending in events)
        {
            if (pending.Event.IdempotencyKey is { } key)
            {
                first.TryAdd((pending.Event.EnvironmentId, key), pending);
            }
        }

        var taken = await IdempotencyClaims.ClaimAsync(
            connection, [.. first.Select(f => (f.Key.Item1, f.Key.Item2, f.Value.Event.Answer))], now, EventLogWatermark.HoldCommand(), profile).ConfigureAwait(false);
        var plan = CommitPlan.Build(
            events,
            pending =>
            {
                var key = (pending.Event.EnvironmentId, pending.Event.IdempotencyKey!);
                return !ReferenceEquals(first[key], pending) || taken.Contains(key);
            },
            known);
        await IdempotencyClaims.ReleaseAsync(
            connection, [.. plan.Refused.Where(r => r.Event.Event.IdempotencyKey is not null).Select(r => (r.Event.Event.EnvironmentId, r.Event.Event.IdempotencyKey!))]).ConfigureAwait(false);
        return plan;
    }

    /// <summary>SQLite (one process): the in-memory window decides; answers to replay are kept in the table.</summary>
    private async Task<CommitPlan> PlanLocalAsync(
        DbConnection connection, DbTransaction transaction, List<PendingEvent> events, IReadOnlyDictionary<CounterKey, long> known, long now)
    {
        var taken = new HashSet<(string, string)>();
        // Past the memory limit, the keys memory lacks are looked up in the store, in this transaction.
        var inStore = window.MayBeInStore
            ? await window.InStoreAsync(
                connection, transaction, events.Where(p => p.Event.IdempotencyKey is not null).Select(p => (p.Event.EnvironmentId, p.Event.IdempotencyKey!)), now).ConfigureAwait(false)
            : null;
        var plan = CommitPlan.Build(
            events,
            pending => window.Contains(pending.Event.EnvironmentId, pending.Event.IdempotencyKey!)
                || (inStore?.Contains((pending.Event.EnvironmentId, pending.Event.IdempotencyKey!)) ?? false)
                || !taken.Add((pending.Event.EnvironmentId, pending.Event.IdempotencyKey!)),
            known);
        await IdempotencyClaims.KeepAnswersAsync(
            connection,
            transaction,
            plan.Fresh.Where(p => p.Event is { IdempotencyKey: not null, Answer: not null }).Select(p => (p.Event.EnvironmentId, p.Event.IdempotencyKey!, p.Event.Answer!)),
            now).ConfigureAwait(false);
        return plan;
    }

    private async Task AfterCommitAsync(CommitPlan plan)
    {
        foreach (var pending in plan.Fresh)
        {
            pending.Fate = EventFate.Appended;
        }

        foreach (var pending in plan.Duplicates)
        {
            pending.Fate = EventFate.Duplicate;
        }

        foreach (var (pending, reason) in plan.Refused)
        {
            (pending.Fate, pending.Reason) = (EventFate.Refused, reason);
        }

        var fresh = plan.Fresh.Select(p => p.Event).ToList();
        foreach (var burnt in fresh.Where(e => e.Burns.Count > 0).GroupBy(e => e.EnvironmentId))
        {
            await changes.PublishAsync(new Change(burnt.Key, ChangeKind.Credits, [.. burnt.Select(e => e.CompanyId!).Distinct(StringComparer.Ordinal)])).ConfigureAwait(false);
        }

        if (plan.BillableUsage.Count > 0)
        {
            billableUsageCommitted.Wake();
        }

        foreach (var byEnvironment in plan.Deltas.Keys.GroupBy(k => k.EnvironmentId))
        {
            await changes.PublishAsync(new Change(byEnvironment.Key, ChangeKind.Usage, [.. byEnvironment.Select(k => k.CompanyId).Distinct(StringComparer.Ordinal)])).ConfigureAwait(false);
        }

        if (!database.Dialect.IsPostgres)
        {
            foreach (var e in fresh)
            {
                if (e.IdempotencyKey is { } key)
                {
                    window.Add(e.EnvironmentId, key, e.ReceivedAt.ToUnixTimeMilliseconds());
                }
            }
        }
    }

    /// <summary>
    /// Burns the credits the commit's tracks cost, in its transaction: summed per company and credit type (one ledger
    /// movement each), never refused — the usage has happened, so a shortfall becomes debt the next grant pays. A
    /// track made under a credit lease is held on the lease instead, burnt when the lease closes. Every amount is finite
    /// and bounded (<see cref="Credits.CreditBurns.MaxAmount"/>, checked when the event was accepted), so the sums are.
    /// </summary>
    private async Task BurnCreditsAsync(DbConnection connection, DbTransaction transaction, List<PendingEvent> events)
    {
        var direct = new Dictionary<(string EnvironmentId, string CompanyId, string CreditTypeId), double>();
        foreach (var e in events.Select(p => p.Event).Where(e => e.Burns.Count > 0))
        {
            foreach (var burn in e.Burns)
            {
                // Only the lease's own credit type is held on it (intake checked it is the event company's lease).
                if (e.LeaseId is { } leaseId && burn.CreditTypeId == e.LeaseCreditTypeId
                    && await credits.TrackOnLeaseAsync(connection, transaction, e.EnvironmentId, leaseId, burn.Amount, "track").ConfigureAwait(false))
                {
                    continue;
                }

                var key = (e.EnvironmentId, e.CompanyId!, burn.CreditTypeId);
                direct[key] = direct.GetValueOrDefault(key) + burn.Amount;
            }
        }

        // In a fixed order, so that two transactions locking several balance rows cannot deadlock on PostgreSQL.
        foreach (var ((environmentId, companyId, creditTypeId), amount) in direct.OrderBy(d => d.Key))
        {
            await credits.ConsumeAsync(connection, transaction, environmentId, companyId, creditTypeId, amount, "track", null, strict: false).ConfigureAwait(false);
        }
    }
}
