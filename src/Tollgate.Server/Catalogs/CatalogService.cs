using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Credits;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalogs;

/// <summary>Catalogs: create, read, update, delete; their plans, credit bundles, configuration and derived features.</summary>
internal sealed class CatalogService(ResourceStore store, AuditLog audit, RuntimeRegistry runtimes, Companies.CompanyDirectory directory, TimeProvider time)
{
    public const string Kind = "catalog";

    public async Task<CatalogRecord> CreateAsync(RequestScope scope, CatalogRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new CatalogRecord
        {
            Id = Ids.New("ctlg"),
            Name = Validate.Required(request.Name, "name"),
            Description = Validate.Bounded(request.Description, "description"),
            IsDefault = request.IsDefault ?? false,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await SaveAsync(scope, null, record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<CatalogRecord> UpdateAsync(RequestScope scope, string catalogId, CatalogRequest request, CancellationToken cancellationToken)
    {
        var before = await GetAsync(scope.EnvironmentId, catalogId, cancellationToken).ConfigureAwait(false);
        var after = before with
        {
            Name = request.Name is null ? before.Name : Validate.Required(request.Name, "name"),
            Description = request.Description is null ? before.Description : Validate.Bounded(request.Description, "description"),
            IsDefault = request.IsDefault ?? before.IsDefault,
            UpdatedAt = time.GetUtcNow(),
        };
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<bool> DeleteAsync(RequestScope scope, string catalogId, CancellationToken cancellationToken)
    {
        var before = await store.GetAsync<CatalogRecord>(scope.EnvironmentId, Kind, catalogId, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }

        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, Kind, catalogId).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", Kind, catalogId, null, before, null).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<CatalogRecord> GetAsync(string environmentId, string catalogId, CancellationToken cancellationToken) =>
        await store.GetAsync<CatalogRecord>(environmentId, Kind, catalogId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "catalog not found");

    /// <summary>The catalogs, oldest first, filtered by <c>q</c> (in the name) and <c>is_default</c>.</summary>
    public async Task<IReadOnlyList<CatalogRecord>> ListAsync(string environmentId, string? q, bool? isDefault, CancellationToken cancellationToken)
    {
        var all = await store.ListAllAsync<CatalogRecord>(environmentId, Kind, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(c => (q is null || c.Name.Contains(q, StringComparison.OrdinalIgnoreCase)) && (isDefault is null || c.IsDefault == isDefault))];
    }

    /// <summary>Adds (<paramref name="add"/>) or removes a plan or add-on; adding one already there changes nothing.</summary>
    public async Task<CatalogRecord> SetPlanAsync(RequestScope scope, string catalogId, string planId, bool add, CancellationToken cancellationToken)
    {
        var before = await GetAsync(scope.EnvironmentId, catalogId, cancellationToken).ConfigureAwait(false);
        if (add && !(await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false)).Plans.ContainsKey(planId))
        {
            Errors.NotFound("plan");
        }

        if (!add && !before.PlanIds.Contains(planId))
        {
            Errors.NotFound("plan in the catalog");
        }

        var after = before with
        {
            PlanIds = add ? [.. before.PlanIds.Append(planId).Distinct(StringComparer.Ordinal)] : [.. before.PlanIds.Where(p => p != planId)],
            OrderedPlans = add ? before.OrderedPlans : [.. before.OrderedPlans.Where(p => p.PlanId != planId)],
            OrderedAddOns = add ? before.OrderedAddOns : [.. before.OrderedAddOns.Where(p => p.PlanId != planId)],
            UpdatedAt = time.GetUtcNow(),
        };
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    /// <summary>Adds or removes a credit bundle.</summary>
    public async Task<CatalogRecord> SetBundleAsync(RequestScope scope, string catalogId, string bundleId, bool add, CancellationToken cancellationToken)
    {
        var before = await GetAsync(scope.EnvironmentId, catalogId, cancellationToken).ConfigureAwait(false);
        if (add && await store.GetAsync<CreditBundleRecord>(scope.EnvironmentId, CreditKinds.Bundle, bundleId, cancellationToken).ConfigureAwait(false) is null)
        {
            Errors.NotFound("credit bundle");
        }

        if (!add && !before.CreditBundleIds.Contains(bundleId))
        {
            Errors.NotFound("credit bundle in the catalog");
        }

        var after = before with
        {
            CreditBundleIds = add ? [.. before.CreditBundleIds.Append(bundleId).Distinct(StringComparer.Ordinal)] : [.. before.CreditBundleIds.Where(b => b != bundleId)],
            OrderedBundles = add ? before.OrderedBundles : [.. before.OrderedBundles.Where(b => b.BundleId != bundleId)],
            UpdatedAt = time.GetUtcNow(),
        };
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    /// <summary>
    /// Replaces the display configuration. Ordered plans and add-ons must be plans of the catalog and of that type,
    /// ordered bundles bundles of the catalog, and entitlements features of the plan's current version.
    /// </summary>
    public async Task<CatalogRecord> ConfigureAsync(RequestScope scope, string catalogId, CatalogConfigurationRequest request, CancellationToken cancellationToken)
    {
        var before = await GetAsync(scope.EnvironmentId, catalogId, cancellationToken).ConfigureAwait(false);
        var snapshot = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var after = before with
        {
            CustomPlanCtaText = request.CustomPlanCtaText is null ? before.CustomPlanCtaText : Validate.Bounded(request.CustomPlanCtaText, "custom_plan_cta_text"),
            CustomPlanCtaUrl = request.CustomPlanCtaUrl is null ? before.CustomPlanCtaUrl : Validate.Bounded(request.CustomPlanCtaUrl, "custom_plan_cta_url"),
            CustomPlanPriceText = request.CustomPlanPriceText is null ? before.CustomPlanPriceText : Validate.Bounded(request.CustomPlanPriceText, "custom_plan_price_text"),
            CustomPlansVisible = request.CustomPlansVisible ?? before.CustomPlansVisible,
            PricingModel = request.PricingModel is null ? before.PricingModel : Validate.Bounded(request.PricingModel, "pricing_model"),
            PricingUrl = request.PricingUrl is null ? before.PricingUrl : Validate.Bounded(request.PricingUrl, "pricing_url"),
            OrderedPlans = request.OrderedPlans is null ? before.OrderedPlans : Ordered(request.OrderedPlans, "ordered_plans", PlanType.Plan, before, snapshot),
            OrderedAddOns = request.OrderedAddOns is null ? before.OrderedAddOns : Ordered(request.OrderedAddOns, "ordered_add_ons", PlanType.AddOn, before, snapshot),
            OrderedBundles = request.OrderedBundles is null ? before.OrderedBundles : [.. request.OrderedBundles.Select(b => Bundle(b, before))],
            UpdatedAt = time.GetUtcNow(),
        };
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<CatalogConfigurationResponse> ConfigurationAsync(string environmentId, CatalogRecord catalog, CancellationToken cancellationToken)
    {
        var snapshot = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        // Base plan and add-ons alike, from the company directory's version tallies: never a count of the company documents.
        var companies = await directory.CompaniesPerPlanAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var catalogs = await store.ListAllAsync<CatalogRecord>(environmentId, Kind, cancellationToken).ConfigureAwait(false);
        var details = catalog.PlanIds
            .Select(id => snapshot.Plans.GetValueOrDefault(id))
            .OfType<PlanRecord>()
            .Select(p => CatalogPlanDetail.From(
                p, snapshot, companies.GetValueOrDefault(p.Id),
                [.. catalogs.Where(c => c.PlanIds.Contains(p.Id)).Select(c => new CatalogMembership(c.Id, c.Name))]))
            .ToList();
        return new CatalogConfigurationResponse(
            [.. details.Where(d => d.PlanType == PlanType.Plan)], [.. details.Where(d => d.PlanType == PlanType.AddOn)], catalog.OrderedPlans, catalog.OrderedAddOns,
            catalog.OrderedBundles, catalog.CustomPlanCtaText, catalog.CustomPlanCtaUrl, catalog.CustomPlanPriceText, catalog.CustomPlansVisible, catalog.PricingModel,
            catalog.PricingUrl);
    }

    /// <summary>The features entitled by the current (published) version of the catalog's plans and add-ons, by name.</summary>
    public async Task<CatalogDerivedFeatures> DerivedFeaturesAsync(string environmentId, CatalogRecord catalog, CancellationToken cancellationToken)
    {
        var snapshot = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var featureIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var planId in catalog.PlanIds)
        {
            featureIds.UnionWith(FeaturesOf(snapshot, planId));
        }

        return new CatalogDerivedFeatures(
            [.. featureIds.Select(id => snapshot.Features.GetValueOrDefault(id)).OfType<FeatureRecord>().OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => new CatalogDerivedFeature(f.Id, f.Name, string.Empty))]);
    }

    private static IEnumerable<string> FeaturesOf(CatalogSnapshot snapshot, string planId)
    {
        if (!snapshot.Plans.ContainsKey(planId))
        {
            return [];
        }

        var versionId = snapshot.PublishedVersionOf(planId)?.Id ?? snapshot.FirstVersionIdOf(planId);
        return snapshot.EntitlementsByVersion.GetValueOrDefault(versionId)?.Select(e => e.FeatureId) ?? [];
    }

    private static List<CatalogOrderedPlan> Ordered(
        IReadOnlyList<CatalogOrderedPlanRequest> requested, string field, PlanType type, CatalogRecord catalog, CatalogSnapshot snapshot)
    {
        var result = new List<CatalogOrderedPlan>();
        foreach (var item in requested)
        {
            var planId = Validate.Required(item.PlanId, $"{field}.plan_id");
            if (!catalog.PlanIds.Contains(planId) || !snapshot.Plans.TryGetValue(planId, out var plan) || plan.PlanType != type)
            {
                Errors.BadRequest($"{field}.plan_id", $"{planId} is not {(type == PlanType.Plan ? "a plan" : "an add-on")} of the catalog");
            }

            var features = FeaturesOf(snapshot, planId).ToHashSet(StringComparer.Ordinal);
            var entitlements = new List<CatalogOrderedEntitlement>();
            foreach (var entitlement in item.Entitlements ?? [])
            {
                var featureId = Validate.Required(entitlement.FeatureId, $"{field}.entitlements.feature_id");
                if (!features.Contains(featureId))
                {
                    Errors.BadRequest($"{field}.entitlements.feature_id", $"{featureId} is not entitled by plan {planId}");
                }

                entitlements.Add(new CatalogOrderedEntitlement(featureId, entitlement.Visible ?? true));
            }

            result.Add(new CatalogOrderedPlan(planId, entitlements));
        }

        return result;
    }

    private static CatalogOrderedBundle Bundle(CatalogOrderedBundleRequest item, CatalogRecord catalog)
    {
        var bundleId = Validate.Required(item.BundleId, "ordered_bundles.bundle_id");
        if (!catalog.CreditBundleIds.Contains(bundleId))
        {
            Errors.BadRequest("ordered_bundles.bundle_id", $"{bundleId} is not a credit bundle of the catalog");
        }

        return new CatalogOrderedBundle(bundleId);
    }

    /// <summary>Writes the catalog; making it the default takes that from any other catalog in the same transaction.</summary>
    private Task<bool> SaveAsync(RequestScope scope, CatalogRecord? before, CatalogRecord after, CancellationToken cancellationToken) =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, Kind, after.Id, null, null, before, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", Kind, after.Id, null, before, after).ConfigureAwait(false);
                if (after.IsDefault && before?.IsDefault != true)
                {
                    var others = await store.ListAllAsync<CatalogRecord>(scope.EnvironmentId, Kind, cancellationToken).ConfigureAwait(false);
                    foreach (var other in others.Where(c => c.IsDefault && c.Id != after.Id))
                    {
                        await store.PutAsync(connection, transaction, scope.EnvironmentId, Kind, other.Id, null, null, other with { IsDefault = false, UpdatedAt = after.UpdatedAt })
                            .ConfigureAwait(false);
                    }
                }

                return true;
            },
            cancellationToken);
}
