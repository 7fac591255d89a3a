using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// What publishing a draft would do to the plan's companies (the migration <see cref="PlanVersionService.PublishAsync"/>
/// creates: every other version of the plan to the draft), answered at any number of companies without reading them:
/// <list type="bullet">
/// <item>companies that would move: the directory's version tallies;</item>
/// <item>over a new limit: one statement per origin version counts the companies over each changed limit and over any
/// (<see cref="CompaniesOnVersion.CountOverAsync"/>); companies with an override of a changed feature are left out of
/// that feature's count, and those of them over its limit are decided one by one by the per-company rule
/// (<see cref="PlanMigrationPreviewer.OverLimitAsync"/>): overrides are few, sales deals, and fewer still are over;</item>
/// <item>subscription changes and failures: the billing area's count (<see cref="IPlanMigrationBilling.CountAsync"/>);</item>
/// <item>a sample of <see cref="SampleSize"/> companies, each previewed in full as the API's preview would.</item>
/// </list>
/// </summary>
internal sealed class PublishDryRun(
    PlanMigrationPreviewer previewer,
    CompanyDirectory directory,
    CompaniesOnVersion onVersion,
    ResourceStore resources,
    RuntimeRegistry runtimes,
    IServiceProvider services,
    TimeProvider time)
{
    /// <summary>How many companies the sample holds.</summary>
    public const int SampleSize = 10;

    public async Task<PublishImpact> RunAsync(RequestScope scope, string draftVersionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.VersionsById.TryGetValue(draftVersionId, out var draft))
        {
            Errors.NotFound("plan version");
        }

        var plan = catalog.Plans[draft.PlanId];
        var target = new MigrationTarget(plan, draft, [.. catalog.VersionsByPlan[plan.Id].Where(v => v.Id != draft.Id).Select(v => v.Id)]);
        var basePlan = plan.PlanType != PlanType.AddOn;
        var now = time.GetUtcNow();
        var perVersion = await directory.CompaniesPerVersionAsync(scope, plan.Id, cancellationToken).ConfigureAwait(false);
        var billing = services.GetService(typeof(IPlanMigrationBilling)) as IPlanMigrationBilling;
        var overByFeature = new Dictionary<string, long>(StringComparer.Ordinal);
        var (overLimit, changes, fails) = (0L, 0L, 0L);
        var diffs = new Dictionary<string, VersionDiff>(StringComparer.Ordinal);
        var limitsByVersion = new Dictionary<string, List<UsageLimit>>(StringComparer.Ordinal);
        foreach (var from in target.From.Where(v => perVersion.GetValueOrDefault(v) > 0))
        {
            var diff = diffs[from] = VersionDiff.Of(catalog, from, draft.Id);
            var limits = limitsByVersion[from] = diff.NewLimits.Select(l => PlanMigrationPreviewer.UsageLimitOf(catalog, l)).OfType<UsageLimit>().ToList();
            var counts = await onVersion.CountOverAsync(scope.EnvironmentId, plan.Id, basePlan, from, limits, now, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < limits.Count; i++)
            {
                overByFeature[limits[i].FeatureId] = overByFeature.GetValueOrDefault(limits[i].FeatureId) + counts.PerLimit[i];
            }

            overLimit += counts.AnyLimit;
            if (billing is not null)
            {
                var moves = await billing.CountAsync(scope.EnvironmentId, from, draft.Id, cancellationToken).ConfigureAwait(false);
                (changes, fails) = (changes + moves.SubscriptionChanges, fails + moves.WouldFail);
            }
        }

        overLimit += await AddOverriddenAsync(scope.EnvironmentId, catalog, target, basePlan, diffs, limitsByVersion, overByFeature, now, cancellationToken).ConfigureAwait(false);
        return new PublishImpact(
            target.From.Sum(v => perVersion.GetValueOrDefault(v)),
            overLimit,
            [.. overByFeature.Where(f => f.Value > 0).Select(f => new FeatureCount(f.Key, catalog.FlagOf(f.Key)?.Key ?? f.Key, (int)f.Value)).OrderBy(f => f.FeatureKey, StringComparer.Ordinal)],
            changes,
            fails,
            await SampleAsync(scope.EnvironmentId, catalog, target, basePlan, diffs, now, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Decides the companies the counts left out that may be over a limit they missed (those with an override of a limit's
    /// feature, active or not, whose usage is over it: <see cref="CompaniesOnVersion.OverriddenOverAsync"/>) by the
    /// per-company rule, adds each feature they are over to <paramref name="overByFeature"/>, and answers how many of them
    /// the counts' total missed: those over only features they have an override of (an expired one: an active override
    /// keeps the company from being over). A company with an override that is under the limit was left out of that
    /// limit's count and is under it by the rule too, so it is not read.
    /// </summary>
    private async Task<long> AddOverriddenAsync(
        string environmentId,
        CatalogSnapshot catalog,
        MigrationTarget target,
        bool basePlan,
        Dictionary<string, VersionDiff> diffs,
        Dictionary<string, List<UsageLimit>> limitsByVersion,
        Dictionary<string, long> overByFeature,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (from, limits) in limitsByVersion)
        {
            ids.UnionWith(await onVersion.OverriddenOverAsync(environmentId, target.Plan.Id, basePlan, from, limits, now, cancellationToken).ConfigureAwait(false));
        }

        var changed = diffs.Values.SelectMany(d => d.NewLimits).Select(l => l.FeatureId).ToHashSet(StringComparer.Ordinal);
        var missed = 0L;
        foreach (var chunk in ids.Order(StringComparer.Ordinal).Chunk(1_000))
        {
            var companies = await resources.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, chunk, cancellationToken).ConfigureAwait(false);
            var byCompany = (await resources.ListByParentsAsync<CompanyOverrideRecord>(environmentId, ResourceKinds.CompanyOverride, chunk, cancellationToken).ConfigureAwait(false))
                .Where(o => changed.Contains(o.FeatureId))
                .ToLookup(o => o.CompanyId, StringComparer.Ordinal);
            foreach (var (company, from) in target.Candidates(catalog, companies, null, now).Where(c => diffs.ContainsKey(c.FromVersionId)))
            {
                var own = byCompany[company.Id].ToList();
                var over = await previewer.OverLimitAsync(environmentId, catalog, company, own, diffs[from].NewLimits, now, cancellationToken).ConfigureAwait(false);
                var uncounted = over.Where(o => own.Any(x => x.FeatureId == o.FeatureId)).ToList();
                foreach (var o in uncounted)
                {
                    overByFeature[o.FeatureId] = overByFeature.GetValueOrDefault(o.FeatureId) + 1;
                }

                missed += over.Count > 0 && uncounted.Count == over.Count ? 1 : 0;
            }
        }

        return missed;
    }

    /// <summary>The first <see cref="SampleSize"/> companies that would move (by name), each previewed in full.</summary>
    private async Task<IReadOnlyList<MigrationPreviewCompany>> SampleAsync(
        string environmentId, CatalogSnapshot catalog, MigrationTarget target, bool basePlan, Dictionary<string, VersionDiff> diffs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = await onVersion.SampleAsync(environmentId, target.Plan.Id, basePlan, target.From, SampleSize, cancellationToken).ConfigureAwait(false);
        var companies = await resources.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, ids, cancellationToken).ConfigureAwait(false);
        var overrides = (await resources.ListByParentsAsync<CompanyOverrideRecord>(environmentId, ResourceKinds.CompanyOverride, ids, cancellationToken).ConfigureAwait(false))
            .ToLookup(o => o.CompanyId, StringComparer.Ordinal);
        var sample = new List<MigrationPreviewCompany>();
        foreach (var (company, from) in target.Candidates(catalog, companies, null, now).OrderBy(c => IndexOf(ids, c.Company.Id)))
        {
            sample.Add(await previewer.PreviewCompanyAsync(environmentId, catalog, target, company, from, [.. overrides[company.Id]], diffs, now, cancellationToken).ConfigureAwait(false));
        }

        return sample;
    }

    private static int IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
            {
                return i;
            }
        }

        return ids.Count;
    }
}

/// <summary>
/// The publish page's dry run (<see cref="PublishDryRun"/>): how many companies would move, how many would be over a new
/// limit (and per feature), whose subscription would change, who would fail, and a sample of the companies previewed in full.
/// </summary>
internal sealed record PublishImpact(
    long TotalCompanies,
    long CompaniesOverLimit,
    IReadOnlyList<FeatureCount> OverLimitByFeature,
    long CompaniesWithBillingChanges,
    long CompaniesThatWouldFail,
    IReadOnlyList<MigrationPreviewCompany> Sample);
