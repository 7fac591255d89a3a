using Tollgate.Engine;
using Tollgate.Engine.Model;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Evaluation;

/// <summary>Builds the engine's view of a company or user from their records and the catalog.</summary>
internal static class ViewBuilder
{
    public static CompanyView Company(
        CatalogSnapshot catalog,
        CompanyRecord record,
        IReadOnlyList<CompanyOverrideRecord> overrides,
        CompanyUsage usage,
        CompanyCredits credits,
        DateTimeOffset now)
    {
        // Read the version before the counters: a change in between makes the view look stale, never fresher than it is.
        var usageVersion = usage.Version;
        usage.DropEndedBuckets(now);
        var balances = credits.At(now);
        var active = DecidingOverrides(overrides, now);
        var planIds = CompanyPlanVersions.PlanIdsOf(record);
        var versionIds = CompanyPlanVersions.VersionIds(catalog, CompanyPlanVersions.Settle(record, now), planIds);
        var company = new Company
        {
            Id = record.Id,
            AccountId = EngineIds.Account,
            EnvironmentId = catalog.EnvironmentId,
            Keys = record.Keys,
            Traits = Traits(catalog, EntityType.Company, record.Traits),
            BasePlanId = record.BasePlanId,
            PlanIds = planIds,
            PlanVersionIds = versionIds,
            Subscription = record.Subscription is { } s
                ? new Subscription { Id = s.Id, PeriodStart = s.PeriodStart.ToString("O"), PeriodEnd = s.PeriodEnd.ToString("O") }
                : null,
            Metrics = usage.MetricsAt(catalog.EnvironmentId, record.Id, now, record.Subscription),
            Rules = [.. new RuleCompiler(catalog).CompileOverrides(record.Id, active, now)],
            Entitlements = catalog.SharedEntitlements.Share(CreditView.Fill(Entitlements.For(catalog, record, versionIds, active, usage, now), balances)),
            CreditBalances = CreditView.Balances(balances),
            CreditPostpaid = CreditView.Postpaid(balances),
        };

        // The next instant an active override expires, a scheduled plan version move takes effect, a usage period ends or
        // a credit grant or hold lapses: the view must be rebuilt then, whether or not anything is written.
        var rebuildAt = active.Where(o => o.ExpirationDate is not null).Select(o => o.ExpirationDate)
            .Append(CompanyPlanVersions.NextMove(record, planIds, now))
            .Append(UsagePeriods.NextReset(UsagePeriod.Day, now, record.Subscription))
            .Append(UsagePeriods.NextReset(UsagePeriod.MonthFromBillingAnchor, now, record.Subscription))
            .Append(credits.NextChangeAt(now))
            .Min();
        return new CompanyView(record, overrides, usage, CompiledCompany.Compile(company), catalog.Version, usageVersion, rebuildAt) { Credits = credits };
    }

    /// <summary>
    /// The overrides that decide a feature at <paramref name="now"/>: of a feature's active overrides, the last (in
    /// creation order, as the store lists a company's overrides), which alone gives both the check's value and its
    /// entitlement, as the lists' SQL takes it (<c>FeatureHolders</c>). With every active override compiled, the
    /// engine answered from the first override rule that matched while the entitlement was the last one's, and a
    /// company with two overrides of a feature could be let in by an override its entitlement did not show.
    /// </summary>
    private static List<CompanyOverrideRecord> DecidingOverrides(IReadOnlyList<CompanyOverrideRecord> overrides, DateTimeOffset now)
    {
        var deciding = new List<CompanyOverrideRecord>(overrides.Count);
        foreach (var o in overrides)
        {
            if (o.ExpirationDate is { } at && at <= now)
            {
                continue;
            }

            var earlier = deciding.FindIndex(d => string.Equals(d.FeatureId, o.FeatureId, StringComparison.Ordinal));
            if (earlier >= 0)
            {
                deciding.RemoveAt(earlier);
            }

            deciding.Add(o);
        }

        return deciding;
    }

    public static UserView User(CatalogSnapshot catalog, UserRecord record) => new(
        record,
        CompiledUser.Compile(new User
        {
            Id = record.Id,
            AccountId = EngineIds.Account,
            EnvironmentId = catalog.EnvironmentId,
            Keys = record.Keys,
            Traits = Traits(catalog, EntityType.User, record.Traits),
        }),
        catalog.Version);

    private static List<Trait> Traits(CatalogSnapshot catalog, EntityType entityType, IReadOnlyDictionary<string, System.Text.Json.JsonElement> traits)
    {
        var result = new List<Trait>(traits.Count);
        foreach (var (name, value) in traits)
        {
            if (catalog.EngineTraitsByName.TryGetValue((entityType, name), out var definition))
            {
                result.Add(new Trait { TraitDefinition = definition, Value = TraitText.Of(value) });
            }
        }

        return result;
    }
}
