using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Companies;

/// <summary>
/// Companies and users in their response shapes, with what those shapes need besides the record: the catalog (plans,
/// trait definitions, entitlements), a company's overrides (compiled to its rules) and user count, a user's companies.
/// A page is described with one read of each, not one per entity.
/// </summary>
internal sealed class EntityDescriber(ResourceStore store, RuntimeRegistry runtimes, UsageCounters usage, TimeProvider time)
{
    public async Task<CompanyResponse> CompanyAsync(RequestScope scope, CompanyRecord company, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var overrides = await store.ListAsync<CompanyOverrideRecord>(scope.EnvironmentId, ResourceKinds.CompanyOverride, company.Id, int.MaxValue, 0, cancellationToken).ConfigureAwait(false);
        var users = await store.CountLinkedAsync(scope.EnvironmentId, ResourceKinds.User, [company.Id], cancellationToken).ConfigureAwait(false);
        var companyUsage = await usage.ForCompanyAsync(scope.EnvironmentId, company.Id, cancellationToken).ConfigureAwait(false);
        var billing = await CompanyBillingPrices.ReadAsync(store, scope.EnvironmentId, [company], cancellationToken).ConfigureAwait(false);
        return Describe(catalog, company, overrides, users.GetValueOrDefault(company.Id), companyUsage, billing, time.GetUtcNow());
    }

    public async ValueTask<IReadOnlyList<CompanyResponse>> CompaniesAsync(RequestScope scope, IReadOnlyList<CompanyRecord> companies, CancellationToken cancellationToken)
    {
        if (companies.Count == 0)
        {
            return [];
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var companyIds = companies.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var overrides = (await store.ListByParentsAsync<CompanyOverrideRecord>(scope.EnvironmentId, ResourceKinds.CompanyOverride, companyIds, cancellationToken).ConfigureAwait(false))
            .ToLookup(o => o.CompanyId, StringComparer.Ordinal);
        var users = await store.CountLinkedAsync(scope.EnvironmentId, ResourceKinds.User, companyIds, cancellationToken).ConfigureAwait(false);
        var billing = await CompanyBillingPrices.ReadAsync(store, scope.EnvironmentId, companies, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var described = new List<CompanyResponse>(companies.Count);
        foreach (var c in companies)
        {
            var companyUsage = await usage.ForCompanyAsync(scope.EnvironmentId, c.Id, cancellationToken).ConfigureAwait(false);
            described.Add(Describe(catalog, c, [.. overrides[c.Id]], users.GetValueOrDefault(c.Id), companyUsage, billing, now));
        }

        return described;
    }

    public async Task<UserResponse> UserAsync(RequestScope scope, UserRecord user, CancellationToken cancellationToken) =>
        (await UsersAsync(scope, [user], cancellationToken).ConfigureAwait(false))[0];

    public async ValueTask<IReadOnlyList<UserResponse>> UsersAsync(RequestScope scope, IReadOnlyList<UserRecord> users, CancellationToken cancellationToken)
    {
        if (users.Count == 0)
        {
            return [];
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var companyIds = users.SelectMany(u => u.CompanyIds).ToHashSet(StringComparer.Ordinal);
        var companies = (await store.GetManyAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyIds, cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => c.Id, c => CompanySummaryResponse.From(c, scope.EnvironmentId), StringComparer.Ordinal);
        return [.. users.Select(u => Describe(catalog, u, companies))];
    }

    private static CompanyResponse Describe(
        CatalogSnapshot catalog, CompanyRecord record, IReadOnlyList<CompanyOverrideRecord> overrides, long userCount, CompanyUsage usage, CompanyBillingPrices billing,
        DateTimeOffset now)
    {
        var company = CompanyPlanVersions.Settle(record, now);
        var active = overrides.Where(o => o.ExpirationDate is not { } at || at > now).ToList();
        var planIds = CompanyPlanVersions.PlanIdsOf(company);
        var versionIds = CompanyPlanVersions.VersionIds(catalog, company, planIds);
        CompanyPlanResponse? PlanOf(string planId)
        {
            if (!catalog.Plans.TryGetValue(planId, out var plan))
            {
                return null;
            }

            var described = new CompanyPlanResponse(
                plan.Id, plan.Name, plan.Description ?? string.Empty, null,
                company.PlanVersions.TryGetValue(planId, out var versionId) ? versionId : catalog.FirstVersionIdOf(planId), [], null, null, null, null);
            return billing.PlanPriceOf(company, planId) is { } price ? described.BilledAt(price) : described;
        }

        return new CompanyResponse(
            company.Id,
            company.Name ?? string.Empty,
            catalog.EnvironmentId,
            Keys(company, EntityKeys.Company, catalog.EnvironmentId, company.CreatedAt, company.UpdatedAt),
            company.Traits,
            Traits(catalog, company, EntityType.Company, company.CreatedAt, company.UpdatedAt),
            company.BasePlanId is { } basePlanId ? PlanOf(basePlanId) : null,
            [.. planIds.Select(catalog.Plans.GetValueOrDefault).OfType<PlanRecord>().Select(PreviewResponse.Of)],
            [.. planIds.Where(id => id != company.BasePlanId).Select(PlanOf).OfType<CompanyPlanResponse>()],
            [.. Entitlements.For(catalog, company, versionIds, active, usage, now).Select(CheckResponseMapper.ToResponse)],
            [.. new RuleCompiler(catalog).CompileOverrides(company.Id, active, now).Select(RuleResponses.From)],
            [.. usage.MetricsAt(catalog.EnvironmentId, company.Id, now, company.Subscription).Select(MetricResponse.From)],
            userCount,
            null,
            [],
            billing.Describe(company, catalog.EnvironmentId),
            [],
            [],
            company.BasePlanId,
            company.AddOnIds,
            [.. planIds.Where(company.PlanVersions.ContainsKey).Select(p => company.PlanVersions[p])],
            company.ScheduledPlanVersions,
            company.Subscription,
            ScheduledDowngradeResponse.From(company.ScheduledDowngrade, catalog),
            company.CreatedAt,
            company.UpdatedAt,
            company.LastSeenAt);
    }

    private static UserResponse Describe(CatalogSnapshot catalog, UserRecord user, Dictionary<string, CompanySummaryResponse> companies)
    {
        var memberships = user.CompanyIds
            .Select(id => new CompanyMembershipResponse($"{user.Id}_{id}", id, user.Id, companies.GetValueOrDefault(id), user.CreatedAt, user.UpdatedAt))
            .ToList();
        return new UserResponse(
            user.Id,
            user.Name ?? string.Empty,
            catalog.EnvironmentId,
            Keys(user, EntityKeys.User, catalog.EnvironmentId, user.CreatedAt, user.UpdatedAt),
            user.Traits,
            Traits(catalog, user, EntityType.User, user.CreatedAt, user.UpdatedAt),
            memberships,
            [.. memberships.Select(m => m.Company).OfType<CompanySummaryResponse>()],
            user.CompanyIds,
            user.CreatedAt,
            user.UpdatedAt,
            user.LastSeenAt);
    }

    private static List<EntityKeyResponse> Keys(IEntityRecord entity, string entityType, string environmentId, DateTimeOffset createdAt, DateTimeOffset updatedAt) =>
        [.. entity.Keys.Select(k => new EntityKeyResponse($"{entity.Id}_{k.Key}", k.Key, k.Value, $"{entityType}_{k.Key}", entity.Id, entityType, environmentId, createdAt, updatedAt))];

    private static List<EntityTraitResponse> Traits(CatalogSnapshot catalog, IEntityRecord entity, EntityType entityType, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        var result = new List<EntityTraitResponse>(entity.Traits.Count);
        foreach (var (name, value) in entity.Traits)
        {
            if (catalog.TraitsByName.TryGetValue((entityType, name), out var definition))
            {
                result.Add(new EntityTraitResponse(
                    $"{entity.Id}_{definition.Id}", definition.Id, catalog.EnvironmentId, TraitText.Of(value), TraitDefinitionResponse.From(definition), createdAt, updatedAt));
            }
        }

        return result;
    }
}
