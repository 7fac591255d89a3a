using Tollgate.Server.Audit;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>Plan credit grants: kept with the plan; each company on the plan receives the credits every period.</summary>
internal sealed class PlanCreditGrantService(ResourceStore store, AuditLog audit, RuntimeRegistry runtimes, ChangeFeed changes, CreditTypeService creditTypes, TimeProvider time)
{
    private static readonly (string, string)[] ResetStarts = [("first_of_month", "first_of_month"), ("billing_period", "billing_period")];

    private static readonly (string, string)[] ResetTypes = [("plan_period", "plan_period"), ("no_reset", "no_reset")];

    public async Task<PlanCreditGrantRecord> CreateAsync(RequestScope scope, PlanCreditGrantRequest request, CancellationToken cancellationToken)
    {
        var record = await BuildAsync(scope, Ids.New("bcpg"), request, null, cancellationToken).ConfigureAwait(false);
        await SaveAsync(scope, null, record, request.ApplyToExisting != false, cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<PlanCreditGrantRecord> UpdateAsync(RequestScope scope, string planGrantId, PlanCreditGrantRequest request, CancellationToken cancellationToken)
    {
        var before = await GetAsync(scope, planGrantId, cancellationToken).ConfigureAwait(false);
        var after = await BuildAsync(scope, before.Id, request with { PlanId = before.PlanId, CreditId = request.CreditId ?? before.CreditId }, before, cancellationToken).ConfigureAwait(false);
        await SaveAsync(scope, before, after, request.ApplyToExisting != false, cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<bool> DeleteAsync(RequestScope scope, string planGrantId, CancellationToken cancellationToken)
    {
        var before = await store.GetAsync<PlanCreditGrantRecord>(scope.EnvironmentId, CreditKinds.PlanGrant, planGrantId, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }

        // Credits already issued stay until they expire; no new period is issued.
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, CreditKinds.PlanGrant, planGrantId).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", CreditKinds.PlanGrant, planGrantId, null, before, null).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<PlanCreditGrantRecord> GetAsync(RequestScope scope, string planGrantId, CancellationToken cancellationToken) =>
        await store.GetAsync<PlanCreditGrantRecord>(scope.EnvironmentId, CreditKinds.PlanGrant, planGrantId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "plan credit grant not found");

    public async Task<IReadOnlyList<PlanCreditGrantRecord>> ListAsync(RequestScope scope, string? planId, string? creditId, CancellationToken cancellationToken)
    {
        var all = await store.ListAllAsync<PlanCreditGrantRecord>(scope.EnvironmentId, CreditKinds.PlanGrant, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(g => (string.IsNullOrEmpty(planId) || g.PlanId == planId) && (string.IsNullOrEmpty(creditId) || g.CreditId == creditId))];
    }

    private async Task<PlanCreditGrantRecord> BuildAsync(RequestScope scope, string id, PlanCreditGrantRequest request, PlanCreditGrantRecord? before, CancellationToken cancellationToken)
    {
        var planId = Validate.Required(request.PlanId, "plan_id");
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Plans.TryGetValue(planId, out var plan))
        {
            Errors.BadRequest("plan_id", "must name an existing plan");
        }

        var credit = await creditTypes.RequireAsync(scope.EnvironmentId, request.CreditId, "credit_id", cancellationToken).ConfigureAwait(false);
        var credits = CreditService.Positive(request.CreditAmount ?? before?.CreditAmount, "credit_amount");

        if (request.OverdraftLimit is { } limit && (limit < 0 || !double.IsFinite(limit)))
        {
            Errors.BadRequest("overdraft_limit", "must be a finite number ≥ 0");
        }

        var postpaid = request.PostpaidEnabled ?? before?.PostpaidEnabled ?? false;
        var now = time.GetUtcNow();
        var record = new PlanCreditGrantRecord
        {
            Id = id,
            PlanId = plan.Id,
            PlanName = plan.Name,
            PlanVersionId = Validate.Bounded(request.PlanVersionId, "plan_version_id") ?? before?.PlanVersionId,
            CreditId = credit.Id,
            CreditName = credit.Name,
            CreditAmount = credits,
            CompanyCreditAmount = credits,
            ResetCadence = request.ResetCadence is null ? before?.ResetCadence ?? "monthly" : Validate.OneOf(request.ResetCadence, "reset_cadence", CreditPeriods.Cadences),
            ResetStart = request.ResetStart is null ? before?.ResetStart ?? "first_of_month" : Validate.OneOf(request.ResetStart, "reset_start", ResetStarts),
            ResetType = request.ResetType is null ? before?.ResetType ?? "plan_period" : Validate.OneOf(request.ResetType, "reset_type", ResetTypes),
            PostpaidEnabled = postpaid,
            OverdraftLimit = postpaid ? request.OverdraftLimit ?? before?.OverdraftLimit : null,
            CreatedAt = before?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        return PlanGrantSettings.Apply(record, request, before);
    }

    private async Task SaveAsync(RequestScope scope, PlanCreditGrantRecord? before, PlanCreditGrantRecord after, bool applyToExisting, CancellationToken cancellationToken)
    {
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, CreditKinds.PlanGrant, after.Id, null, after.PlanId, before, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", CreditKinds.PlanGrant, after.Id, null, before, after)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (!applyToExisting)
        {
            return;
        }

        // The plan's companies get this period's credits now rather than at their next check.
        var planGrants = await store.ListAllAsync<PlanCreditGrantRecord>(scope.EnvironmentId, CreditKinds.PlanGrant, cancellationToken).ConfigureAwait(false);
        var companies = await store.ListAllAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        foreach (var company in companies.Where(c => CompanyPlanVersions.PlanIdsOf(c).Contains(after.PlanId)))
        {
            await PlanGrantIssuer.EnsureIssuedAsync(store.Database, planGrants, scope.EnvironmentId, company, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Credits, [company.Id])).ConfigureAwait(false);
        }
    }
}
