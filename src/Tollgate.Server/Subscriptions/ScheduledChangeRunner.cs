using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Applies scheduled downgrades whose instant has come, by the server's clock. One node at a time runs it (an advisory
/// lock tried, not waited for). A company whose schedule was replaced or cleared since its entry was written is left
/// as it is, and the entry dropped. A schedule holding a Stripe subscription change (a checkout's downgrade) is made in
/// Stripe (<see cref="Components.Checkout.ScheduledCheckoutChanges"/>), not by writing the plans; when Stripe does not
/// take it, it is retried with growing pauses and given up after a few failures (<see cref="ScheduledChangeRetries"/>).
/// </summary>
internal sealed class ScheduledChangeRunner(
    Database database, EnvironmentStore environments, ResourceStore store, ScheduledChanges scheduled, ManagePlanService plans,
    Components.Checkout.ScheduledCheckoutChanges checkouts, TimeProvider time)
{
    /// <summary>The system actor's key id in audit records.</summary>
    public const string ActorKeyId = "scheduled-plan-changes";

    // 1 while a pass runs in this process. The advisory lock keeps other nodes out, but on SQLite there is nothing to
    // lock: without this two passes could both read an entry and both make (or count a failure of) its change.
    private int _running;

    /// <summary>Runs once; answers how many changes were applied, or null when another pass (here or on another node) holds the lock.</summary>
    public async Task<int?> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return null;
        }

        try
        {
            return await RunPassAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<int?> RunPassAsync(CancellationToken cancellationToken)
    {
        await using var held = await AdvisoryLock.TryAcquireAsync(database, AdvisoryLockNames.ScheduledPlanChanges, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return null;
        }

        var applied = 0;
        foreach (var environment in await environments.ListEnvironmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            var scope = new RequestScope(environment.Id, ActorKeyId, ApiKeyKind.Secret);
            var entries = await store.ListAllAsync<ScheduledChangeEntry>(environment.Id, SubscriptionKinds.ScheduledChange, cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                var now = time.GetUtcNow();
                if (entry.EffectiveAfter > now || entry.RetryAfter > now)
                {
                    continue;
                }

                var company = await store.GetAsync<CompanyRecord>(environment.Id, ResourceKinds.Company, entry.CompanyId, cancellationToken).ConfigureAwait(false);
                if (company?.ScheduledDowngrade is { StripeChange: not null } checkout && checkout.Id == entry.Id)
                {
                    // A company billed through Stripe: the change is made to its subscription; the sync brings the plans.
                    // Kept for a later pass when Stripe could not take it now, until it has failed too often.
                    if (await checkouts.ApplyAsync(scope, company, checkout, cancellationToken).ConfigureAwait(false) is { } failure)
                    {
                        await FailedAsync(scope, entry, failure, now, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    applied++;
                }
                else if (company?.ScheduledDowngrade is { } downgrade && downgrade.Id == entry.Id)
                {
                    // Applied only if the company still holds this very schedule when written (checked under its row lock).
                    await plans.ApplyAsync(
                        scope, "system", company.Id, downgrade.ToPlanId, downgrade.ToPlanVersionId, downgrade.AddOnIds, true, cancellationToken, c => c.ScheduledDowngrade?.Id == entry.Id)
                        .ConfigureAwait(false);
                    applied++;
                }

                await scheduled.RemoveAsync(scope, entry, cancellationToken).ConfigureAwait(false);
            }
        }

        return applied;
    }

    /// <summary>Records a failed attempt: the entry waits its pause, or (after the last allowed failure) is given up.</summary>
    private async Task FailedAsync(RequestScope scope, ScheduledChangeEntry entry, string failure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failures = entry.Failures + 1;
        var after = entry with { Failures = failures, LastFailure = failure, RetryAfter = now + ScheduledChangeRetries.PauseAfter(failures) };
        if (failures >= ScheduledChangeRetries.MaxFailures)
        {
            await scheduled.GiveUpAsync(scope, after with { RetryAfter = null }, failure, now, cancellationToken).ConfigureAwait(false);
            return;
        }

        await scheduled.PostponeAsync(scope, entry, after, cancellationToken).ConfigureAwait(false);
    }
}
