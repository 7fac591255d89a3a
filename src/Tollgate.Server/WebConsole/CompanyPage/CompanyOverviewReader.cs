using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.WebConsole.CompanyPage;

/// <summary>
/// Reads a <see cref="CompanyOverview"/> through the same services the API's endpoints use (companies, memberships,
/// usage, overrides, credits, the audit log), so the page shows what the API answers.
/// </summary>
internal sealed class CompanyOverviewReader(
    CompanyService companies,
    CompanyMemberships memberships,
    UserService users,
    UsageHistory history,
    UsageReports reports,
    ResourceStore store,
    RuntimeRegistry runtimes,
    CreditService credits,
    CreditTypeService creditTypes,
    LedgerService ledger,
    AuditLog audit,
    TimeProvider time)
{
    /// <summary>How many users, ledger and audit entries the page lists.</summary>
    public const int ListLength = 25;

    public async Task<CompanyOverview> ReadAsync(RequestScope scope, string companyId, UsageGranularity granularity, CancellationToken cancellationToken)
    {
        var company = await companies.GetAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();

        var members = await memberships.ListAsync(scope, company.Id, null, cancellationToken).ConfigureAwait(false);
        var people = new List<UserRecord>();
        foreach (var membership in members.Take(ListLength))
        {
            people.Add(await users.GetAsync(scope, membership.UserId, cancellationToken).ConfigureAwait(false));
        }

        var overrides = await store.ListAsync<CompanyOverrideRecord>(scope.EnvironmentId, ResourceKinds.CompanyOverride, company.Id, int.MaxValue, 0, cancellationToken).ConfigureAwait(false);
        var trail = await audit.ListAsync(scope.EnvironmentId, null, company.Id, 200, 0, cancellationToken).ConfigureAwait(false);
        var types = await creditTypes.ListAsync(scope.EnvironmentId, null, cancellationToken).ConfigureAwait(false);
        var balances = await credits.BalancesAsync(scope, company.Id, cancellationToken).ConfigureAwait(false);
        var entitlements = await reports.ForCompanyAsync(scope, company, null, cancellationToken).ConfigureAwait(false);
        // Both lists are oldest first: the newest page is the last one, shown newest first.
        var grantCount = await credits.CountGrantsAsync(scope, company.Id, null, cancellationToken).ConfigureAwait(false);
        var grants = await credits.ListGrantsAsync(scope, company.Id, null, new Paging(ListLength, (int)Math.Max(0, grantCount - ListLength)), cancellationToken).ConfigureAwait(false);
        var ledgerFilter = new LedgerFilter(company.Id, null, null, null, null);
        var ledgerCount = await ledger.CountAsync(scope, ledgerFilter, cancellationToken).ConfigureAwait(false);
        var entries = await ledger.ListAsync(scope, ledgerFilter, new Paging(ListLength, (int)Math.Max(0, ledgerCount - ListLength)), cancellationToken).ConfigureAwait(false);

        return new CompanyOverview
        {
            Company = company,
            Plan = company.BasePlanId is { } planId ? catalog.Plans.GetValueOrDefault(planId) : null,
            AddOns = [.. company.AddOnIds.Select(id => catalog.Plans.GetValueOrDefault(id)).OfType<PlanRecord>()],
            Users = people,
            Usage = await history.ForCompanyAsync(scope, company.Id, granularity, UsageHistory.DefaultCount(granularity), cancellationToken).ConfigureAwait(false),
            TraitLimits = [.. entitlements.Where(e => e.Feature.FeatureType == FeatureType.Trait && (e.Allocation is not null || e.IsUnlimited))],
            Overrides = [.. overrides
                .Select(o => (o, catalog.Features.GetValueOrDefault(o.FeatureId), o.ExpirationDate is not { } at || at > now))
                .OrderByDescending(o => o.Item3).ThenByDescending(o => o.o.ExpirationDate ?? DateTimeOffset.MaxValue)],
            OverrideHistory = [.. trail.Where(e => e.ResourceType == ResourceKinds.CompanyOverride)],
            Balances = [.. balances.Select(b => (b, types.FirstOrDefault(t => t.Id == b.CreditId)?.Name ?? b.CreditId))],
            Grants = [.. grants.Reverse()],
            Ledger = [.. entries.Reverse()],
            Audit = [.. trail.Take(ListLength)],
            Plans = [.. catalog.Plans.Values.OrderBy(p => p.PlanType).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)],
            Features = [.. catalog.Features.Values.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)],
            CreditTypes = [.. types.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)],
            Now = now,
        };
    }
}
