using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// A migration's dry run: for each company it would move, what changes — features gained and lost, limits changed,
/// the new limits its current usage already exceeds (event features: usage in the limit's period; trait features: the
/// trait's value), and what its Stripe subscription would become. Nothing is written.
/// </summary>
internal sealed class PlanMigrationPreviewer(ResourceStore resources, RuntimeRegistry runtimes, UsageCounters usage, IServiceProvider services, TimeProvider time)
{
    public async Task<MigrationPreviewResponse> PreviewAsync(RequestScope scope, PreviewMigrationRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            Errors.BadRequest("body", "is required");
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var target = MigrationTarget.Resolve(catalog, request.PlanId, request.PlanVersionIdTo, request.PlanVersionIdsFrom, request.TargetPlanType);
        var only = MigrationTarget.Ids(request.CompanyIds, "company_ids");
        var excluded = (MigrationTarget.Ids(request.ExcludedCompanyIds, "excluded_company_ids") ?? []).ToHashSet(StringComparer.Ordinal);
        return await PreviewAsync(scope, catalog, target, only, excluded, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MigrationPreviewResponse> PreviewAsync(
        RequestScope scope, CatalogSnapshot catalog, MigrationTarget target, List<string>? only, HashSet<string> excluded, CancellationToken cancellationToken)
    {
        var companies = await resources.ListAllAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        var known = companies.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        MigrationTarget.MustExist(only, known, "company_ids");
        var now = time.GetUtcNow();
        var overrides = (await resources.ListAllAsync<CompanyOverrideRecord>(scope.EnvironmentId, ResourceKinds.CompanyOverride, cancellationToken).ConfigureAwait(false))
            .ToLookup(o => o.CompanyId, StringComparer.Ordinal);
        var diffs = new Dictionary<string, VersionDiff>(StringComparer.Ordinal);
        var result = new List<MigrationPreviewCompany>();
        var overByFeature = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (company, from) in target.Candidates(catalog, companies, only, now).Where(c => !excluded.Contains(c.Company.Id)))
        {
            var preview = await PreviewCompanyAsync(scope.EnvironmentId, catalog, target, company, from, [.. overrides[company.Id]], diffs, now, cancellationToken).ConfigureAwait(false);
            foreach (var o in preview.OverLimit)
            {
                overByFeature[o.FeatureId] = overByFeature.GetValueOrDefault(o.FeatureId) + 1;
            }

            result.Add(preview);
        }

        return new MigrationPreviewResponse(
            result,
            result.Any(c => c.HasBillingChanges),
            result.Count,
            result.Count(c => c.OverLimit.Count > 0),
            [.. overByFeature.Select(f => new FeatureCount(f.Key, catalog.FlagOf(f.Key)?.Key ?? f.Key, f.Value)).OrderBy(f => f.FeatureKey, StringComparer.Ordinal)],
            result.Count(c => c.HasBillingChanges),
            result.Count(c => c.WouldFail));
    }

    /// <summary>
    /// What moving one company (settled, on <paramref name="from"/>) to the target changes for it. <paramref name="diffs"/>
    /// keeps each origin version's diff for the next company.
    /// </summary>
    public async Task<MigrationPreviewCompany> PreviewCompanyAsync(
        string environmentId,
        CatalogSnapshot catalog,
        MigrationTarget target,
        CompanyRecord company,
        string from,
        IReadOnlyList<CompanyOverrideRecord> overrides,
        Dictionary<string, VersionDiff> diffs,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(diffs);
        if (!diffs.TryGetValue(from, out var diff))
        {
            diff = diffs[from] = VersionDiff.Of(catalog, from, target.To.Id);
        }

        var over = await OverLimitAsync(environmentId, catalog, company, overrides, diff.NewLimits, now, cancellationToken).ConfigureAwait(false);
        var billing = services.GetService(typeof(IPlanMigrationBilling)) as IPlanMigrationBilling;
        var plan = billing is null ? BillingMovePlan.NotBilled : await billing.PlanAsync(environmentId, company, from, target.To.Id, cancellationToken).ConfigureAwait(false);
        var changed = plan.Items.Where(i => i.To is not null && i.To.PriceId != i.From.PriceId).ToList();
        return new MigrationPreviewCompany(
            company.Id,
            plan.WillUpdateSubscription,
            false,
            plan.Note,
            from,
            plan.WillUpdateSubscription,
            plan.ErrorCode is not null,
            company.Name ?? company.Id,
            plan.ErrorCode,
            diff.Gained,
            diff.Lost,
            diff.Changed,
            over,
            changed.Count > 0 ? new PriceChange(changed[0].From, changed[0].To) : null,
            plan.Items);
    }

    /// <summary>
    /// The limits of <paramref name="newLimits"/> (numeric limits a move sets) that the company's current usage already
    /// exceeds. A feature with an active override is left out: the override decides the company's entitlement alone, as
    /// in a check (<see cref="Entitlements"/>), so the version's new limit does not reach it.
    /// </summary>
    public async Task<List<OverLimit>> OverLimitAsync(
        string environmentId,
        CatalogSnapshot catalog,
        CompanyRecord company,
        IReadOnlyList<CompanyOverrideRecord> overrides,
        IReadOnlyList<PlanEntitlementRecord> newLimits,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(newLimits);
        var over = new List<OverLimit>();
        CompanyUsage? counters = null;
        foreach (var limited in newLimits)
        {
            if (UsageLimitOf(catalog, limited) is not { } limit || overrides.Any(o => o.FeatureId == limited.FeatureId && o.IsActiveAt(now)))
            {
                continue;
            }

            long used;
            if (limit.EventSubtype is { } subtype)
            {
                counters ??= await usage.ForCompanyAsync(environmentId, company.Id, cancellationToken).ConfigureAwait(false);
                used = counters.ValueAt(subtype, limit.Period, now, company.Subscription);
            }
            else if (company.Traits.TryGetValue(limit.TraitName!, out var value))
            {
                used = TraitText.AsInteger(value) ?? 0;
            }
            else
            {
                continue;
            }

            if (used > limit.Limit)
            {
                over.Add(new OverLimit(limit.FeatureId, catalog.FlagOf(limit.FeatureId)?.Key ?? limit.FeatureId, used, limit.Limit));
            }
        }

        return over;
    }

    /// <summary>
    /// What a numeric limit of a version compares usage with: an event feature's counter in the limit's period, or a
    /// trait feature's trait. Null for a grant that is not a numeric limit or a feature that is neither.
    /// </summary>
    public static UsageLimit? UsageLimitOf(CatalogSnapshot catalog, PlanEntitlementRecord grant)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.ValueNumeric is not { } limit || !catalog.Features.TryGetValue(grant.FeatureId, out var feature))
        {
            return null;
        }

        if (feature.FeatureType == FeatureType.Event && feature.EventSubtype is { } subtype)
        {
            return new UsageLimit(feature.Id, subtype, UsagePeriods.Of(grant.MetricPeriod ?? MetricPeriod.AllTime, grant.MetricPeriodMonthReset), null, limit);
        }

        return feature.FeatureType == FeatureType.Trait && feature.TraitId is { } traitId && catalog.TraitsById.TryGetValue(traitId, out var trait)
            ? new UsageLimit(feature.Id, null, UsagePeriod.AllTime, trait.Name, limit)
            : null;
    }
}
