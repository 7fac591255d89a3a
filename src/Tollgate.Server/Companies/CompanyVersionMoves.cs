using System.Data.Common;
using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// Moves companies to another version of one of their plans, inside the caller's transaction (a migration's batch):
/// each company is read and held, moved only while it is still on one of the origin versions, written with its audit
/// record. The caller publishes the change once its transaction has committed.
/// </summary>
internal sealed class CompanyVersionMoves(ResourceStore store, AuditLog audit)
{
    /// <summary>
    /// Moves each of <paramref name="companyIds"/> on <paramref name="planId"/> from one of <paramref name="fromVersionIds"/>
    /// to <paramref name="toVersionId"/>: at once, or (<paramref name="atPeriodEnd"/>) scheduled for the end of the company's
    /// billing period when one is running. Answers the outcome per company id.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, VersionMove>> MoveAsync(
        DbConnection connection,
        DbTransaction transaction,
        RequestScope scope,
        CatalogSnapshot catalog,
        IReadOnlyCollection<string> companyIds,
        string planId,
        IReadOnlyCollection<string> fromVersionIds,
        string toVersionId,
        bool atPeriodEnd,
        DateTimeOffset now)
    {
        var held = await store.GetManyForUpdateAsync<CompanyRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.Company, companyIds).ConfigureAwait(false);
        var result = new Dictionary<string, VersionMove>(StringComparer.Ordinal);
        foreach (var before in held)
        {
            var settled = CompanyPlanVersions.Settle(before, now);
            if (!CompanyPlanVersions.PlanIdsOf(settled).Contains(planId))
            {
                result[before.Id] = VersionMove.NotOnOrigin(null);
                continue;
            }

            var current = settled.PlanVersions.TryGetValue(planId, out var versionId) ? versionId : catalog.FirstVersionIdOf(planId);
            var scheduled = settled.ScheduledPlanVersions.FirstOrDefault(s => s.PlanId == planId);
            if (current == toVersionId || (atPeriodEnd && scheduled?.PlanVersionId == toVersionId))
            {
                // Already there (a batch redone after a restart, or moved meanwhile): nothing to write.
                result[before.Id] = VersionMove.Done(current, current == toVersionId ? null : scheduled?.At);
                continue;
            }

            if (!fromVersionIds.Contains(current))
            {
                result[before.Id] = VersionMove.NotOnOrigin(current);
                continue;
            }

            var others = settled.ScheduledPlanVersions.Where(s => s.PlanId != planId);
            var later = atPeriodEnd && settled.Subscription is { } period && period.PeriodEnd > now ? period.PeriodEnd : (DateTimeOffset?)null;
            var after = later is { } at
                ? settled with { ScheduledPlanVersions = [.. others, new ScheduledPlanVersion(planId, toVersionId, at)] }
                : settled with
                {
                    PlanVersions = new Dictionary<string, string>(settled.PlanVersions, StringComparer.Ordinal) { [planId] = toVersionId },
                    ScheduledPlanVersions = [.. others],
                };
            after = after with { UpdatedAt = now };
            await store.PutAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.Company, after.Id, null, null, after).ConfigureAwait(false);
            await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "update", ResourceKinds.Company, after.Id, after.Id, before, after).ConfigureAwait(false);
            result[before.Id] = VersionMove.Done(current, later, moved: true);
        }

        foreach (var missing in companyIds.Where(id => !result.ContainsKey(id)))
        {
            result[missing] = VersionMove.NotOnOrigin(null);
        }

        return result;
    }

    /// <summary>
    /// Drops the scheduled moves of <paramref name="planId"/> to <paramref name="toVersionId"/> still ahead of
    /// <paramref name="now"/> from each company, inside the caller's transaction: the company keeps the version it is
    /// on. Answers the ids of the companies written.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnscheduleAsync(
        DbConnection connection, DbTransaction transaction, RequestScope scope, IReadOnlyCollection<string> companyIds, string planId, string toVersionId, DateTimeOffset now)
    {
        var written = new List<string>();
        foreach (var before in await store.GetManyForUpdateAsync<CompanyRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.Company, companyIds).ConfigureAwait(false))
        {
            var settled = CompanyPlanVersions.Settle(before, now);
            if (!settled.ScheduledPlanVersions.Any(m => m.PlanId == planId && m.PlanVersionId == toVersionId))
            {
                continue;
            }

            var after = settled with { ScheduledPlanVersions = [.. settled.ScheduledPlanVersions.Where(m => !(m.PlanId == planId && m.PlanVersionId == toVersionId))], UpdatedAt = now };
            await store.PutAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.Company, after.Id, null, null, after).ConfigureAwait(false);
            await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "update", ResourceKinds.Company, after.Id, after.Id, before, after).ConfigureAwait(false);
            written.Add(after.Id);
        }

        return written;
    }
}

/// <summary>What became of one company of a move.</summary>
/// <param name="OnTarget">True when the company is on the target version (or scheduled to be, at <paramref name="ScheduledFor"/>).</param>
/// <param name="FromVersionId">The version it was on.</param>
/// <param name="ScheduledFor">When the move takes effect, if later.</param>
/// <param name="Written">True when this call wrote the company (it publishes a change).</param>
internal readonly record struct VersionMove(bool OnTarget, string? FromVersionId, DateTimeOffset? ScheduledFor, bool Written)
{
    public static VersionMove Done(string? from, DateTimeOffset? scheduledFor, bool moved = false) => new(true, from, scheduledFor, moved);

    public static VersionMove NotOnOrigin(string? current) => new(false, current, null, false);
}
