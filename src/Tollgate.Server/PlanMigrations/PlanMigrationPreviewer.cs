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

    /// <summary>
    /// What publishing a draft would do to the plan's companies: the migration <see cref="PlanVersionService.PublishAsync"/>
    /// creates (every other version of the plan to the draft) previewed before the draft is published. The console
    /// shows it on its publish page; the API's preview refuses a draft target, which is not published yet.
    /// </summary>
    public async Task<MigrationPreviewResponse> PreviewPublishAsync(RequestScope scope, string draftVersionId, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.VersionsById.TryGetValue(draftVersionId, out var draft))
        {
            Errors.NotFound("plan version");
        }

        var plan = catalog.Plans[draft.PlanId];

        // The same origin versions as PlanVersionService.PublishAsync's migration: every other version of the plan.
        var target = new MigrationTarget(plan, draft, [.. catalog.VersionsByPlan[plan.Id].Where(v => v.Id != draft.Id).Select(v => v.Id)]);
        return await PreviewAsync(scope, catalog, target, null, [], cancellationToken).ConfigureAwait(false);
    }

    private async Task<MigrationPreviewResponse> PreviewAsync(
        RequestScope scope, CatalogSnapshot catalog, MigrationTarget target, List<string>? only, HashSet<string> excluded, CancellationToken cancellationToken)
    {
        var companies = await resources.ListAllAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        var known = companies.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        MigrationTarget.MustExist(only, known, "company_ids");
        var now = time.GetUtcNow();
        var billing = services.GetService(typeof(IPlanMigrationBilling)) as IPlanMigrationBilling;
        var diffs = new Dictionary<string, VersionDiff>(StringComparer.Ordinal);
        var result = new List<MigrationPreviewCompany>();
        var overByFeature = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (company, from) in target.Candidates(catalog, companies, only, now).Where(c => !excluded.Contains(c.Company.Id)))
        {
            if (!diffs.TryGetValue(from, out var diff))
            {
                diff = diffs[from] = VersionDiff.Of(catalog, from, target.To.Id);
            }

            var over = await OverLimitAsync(scope.EnvironmentId, catalog, company, diff, now, cancellationToken).ConfigureAwait(false);
            foreach (var o in over)
            {
                overByFeature[o.FeatureId] = overByFeature.GetValueOrDefault(o.FeatureId) + 1;
            }

            var plan = billing is null ? BillingMovePlan.NotBilled : await billing.PlanAsync(scope.EnvironmentId, company, from, target.To.Id, cancellationToken).ConfigureAwait(false);
            var changed = plan.Items.Where(i => i.To is not null && i.To.PriceId != i.From.PriceId).ToList();
            result.Add(new MigrationPreviewCompany(
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
                plan.Items));
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

    /// <summary>The target version's numeric limits (changed by the move) that the company's current usage already exceeds.</summary>
    private async Task<List<OverLimit>> OverLimitAsync(string environmentId, CatalogSnapshot catalog, CompanyRecord company, VersionDiff diff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var over = new List<OverLimit>();
        CompanyUsage? counters = null;
        foreach (var limited in diff.NewLimits)
        {
            if (limited.ValueNumeric is not { } limit || !catalog.Features.TryGetValue(limited.FeatureId, out var feature))
            {
                continue;
            }

            long used;
            if (feature.FeatureType == FeatureType.Event && feature.EventSubtype is { } subtype)
            {
                counters ??= await usage.ForCompanyAsync(environmentId, company.Id, cancellationToken).ConfigureAwait(false);
                used = counters.ValueAt(subtype, UsagePeriods.Of(limited.MetricPeriod ?? MetricPeriod.AllTime, limited.MetricPeriodMonthReset), now, company.Subscription);
            }
            else if (feature.FeatureType == FeatureType.Trait && feature.TraitId is { } traitId && catalog.TraitsById.TryGetValue(traitId, out var trait)
                && company.Traits.TryGetValue(trait.Name, out var value))
            {
                used = TraitText.AsInteger(value) ?? 0;
            }
            else
            {
                continue;
            }

            if (used > limit)
            {
                over.Add(new OverLimit(feature.Id, catalog.FlagOf(feature.Id)?.Key ?? feature.Id, used, limit));
            }
        }

        return over;
    }
}
