using Tollgate.Engine;
using Tollgate.Engine.Model;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;

namespace Tollgate.Server.Evaluation;

/// <summary>Builds the engine's view of a company or user from their records and the catalog.</summary>
internal static class ViewBuilder
{
    public static CompanyView Company(
        CatalogSnapshot catalog, CompanyRecord record, IReadOnlyList<CompanyOverrideRecord> overrides, DateTimeOffset now, CompanyCredits? credits = null)
    {
        credits ??= CompanyCredits.None;
        var balances = credits.At(now);
        var active = overrides.Where(o => o.ExpirationDate is not { } at || at > now).ToList();
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
            Rules = [.. new RuleCompiler(catalog).CompileOverrides(record.Id, active, now)],
            Entitlements = CreditView.Fill(Entitlements.For(catalog, record, versionIds, active), balances),
            CreditBalances = CreditView.Balances(balances),
            CreditPostpaid = CreditView.Postpaid(balances),
        };

        // The next instant an active override expires, a scheduled plan version move takes effect or a credit grant or
        // hold lapses: the view must be rebuilt then, whether or not anything is written.
        var rebuildAt = active.Where(o => o.ExpirationDate is not null).Select(o => o.ExpirationDate)
            .Append(CompanyPlanVersions.NextMove(record, planIds, now)).Append(credits.NextChangeAt(now)).Min();
        return new CompanyView(record, overrides, CompiledCompany.Compile(company), catalog.Version, rebuildAt) { Credits = credits };
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
            if (catalog.TraitsByName.TryGetValue((entityType, name), out var definition))
            {
                result.Add(new Trait
                {
                    TraitDefinition = new TraitDefinition { Id = definition.Id, ComparableType = definition.ComparableType, EntityType = entityType },
                    Value = TraitText.Of(value),
                });
            }
        }

        return result;
    }
}
