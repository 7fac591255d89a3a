using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Operations;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// What publishing a draft would do to the plan's companies (the migration <see cref="PlanVersionService.PublishAsync"/>
/// creates: every other version of the plan to the draft), answered at any number of companies without reading them:
/// <list type="bullet">
/// <item>companies that would move: the directory's version tallies;</item>
/// <item>over a new limit: one statement per origin version counts the companies over each changed limit and over any
/// (<see cref="CompaniesOnVersion.CountOverAsync"/>), leaving out of a feature's count the companies with an active
/// override of it, as the per-company rule does (<see cref="PlanMigrationPreviewer.OverLimitAsync"/>);</item>
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
        PhaseProfile.MarkAmbient("dry-page");
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.VersionsById.TryGetValue(draftVersionId, out var draft))
        {
            Errors.NotFound("plan version");
        }

        var plan = catalog.Plans[draft.PlanId];
        var target = new MigrationTarget(plan, draft, [.. catalog.VersionsByPlan[plan.Id].Where(v => v.Id != draft.Id).Select(v => v.Id)]);
        var basePlan = plan.PlanType != PlanType.AddOn;
        var now = time.GetUtcNow();
        PhaseProfile.MarkAmbient("dry-catalog");
        var perVersion = await directory.CompaniesPerVersionAsync(scope, plan.Id, cancellationToken).ConfigureAwait(false);
        PhaseProfile.MarkAmbient("dry-tallies");
        var billing = services.GetService(typeof(IPlanMigrationBilling)) as IPlanMigrationBilling;
        var overByFeature = new Dictionary<string, long>(StringComparer.Ordinal);
        var (overLimit, changes, fails) = (0L, 0L, 0L);
        var diffs = new Dictionary<string, VersionDiff>(StringComparer.Ordinal);
        foreach (var from in target.From.Where(v => perVersion.GetValueOrDefault(v) > 0))
        {
            var diff = diffs[from] = VersionDiff.Of(catalog, from, draft.Id);
            var limits = diff.NewLimits.Select(l => PlanMigrationPreviewer.UsageLimitOf(catalog, l)).OfType<UsageLimit>().ToList();
            var counts = await onVersion.CountOverAsync(scope.EnvironmentId, plan.Id, basePlan, from, limits, now, cancellationToken).ConfigureAwait(false);
            PhaseProfile.MarkAmbient("dry-count");
            for (var i = 0; i < limits.Count; i++)
            {
                overByFeature[limits[i].FeatureId] = overByFeature.GetValueOrDefault(limits[i].FeatureId) + counts.PerLimit[i];
            }

            overLimit += counts.AnyLimit;
            if (billing is not null)
            {
                var moves = await billing.CountAsync(scope.EnvironmentId, from, draft.Id, cancellationToken).ConfigureAwait(false);
                (changes, fails) = (changes + moves.SubscriptionChanges, fails + moves.WouldFail);
                PhaseProfile.MarkAmbient("dry-billing");
            }
        }

        return new PublishImpact(
            target.From.Sum(v => perVersion.GetValueOrDefault(v)),
            overLimit,
            [.. overByFeature.Where(f => f.Value > 0).Select(f => new FeatureCount(f.Key, catalog.FlagOf(f.Key)?.Key ?? f.Key, (int)f.Value)).OrderBy(f => f.FeatureKey, StringComparer.Ordinal)],
            changes,
            fails,
            await SampleAsync(scope.EnvironmentId, catalog, target, basePlan, diffs, now, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The first <see cref="SampleSize"/> companies that would move (by name), each previewed in full.</summary>
    private async Task<IReadOnlyList<MigrationPreviewCompany>> SampleAsync(
        string environmentId, CatalogSnapshot catalog, MigrationTarget target, bool basePlan, Dictionary<string, VersionDiff> diffs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = await onVersion.SampleAsync(environmentId, target.Plan.Id, basePlan, target.From, SampleSize, cancellationToken).ConfigureAwait(false);
        PhaseProfile.MarkAmbient("dry-sample-ids");
        var companies = await resources.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, ids, cancellationToken).ConfigureAwait(false);
        PhaseProfile.MarkAmbient("dry-sample-companies");
        var overrides = (await resources.ListByParentsAsync<CompanyOverrideRecord>(environmentId, ResourceKinds.CompanyOverride, ids, cancellationToken).ConfigureAwait(false))
            .ToLookup(o => o.CompanyId, StringComparer.Ordinal);
        PhaseProfile.MarkAmbient("dry-sample-overrides");
        var sample = new List<MigrationPreviewCompany>();
        foreach (var (company, from) in target.Candidates(catalog, companies, null, now).OrderBy(c => IndexOf(ids, c.Company.Id)))
        {
            sample.Add(await previewer.PreviewCompanyAsync(environmentId, catalog, target, company, from, [.. overrides[company.Id]], diffs, now, cancellationToken).ConfigureAwait(false));
        }

        PhaseProfile.MarkAmbient("dry-sample-preview");
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
