using Tollgate.Engine.Model;

namespace Tollgate.Engine.Json;

/// <summary>Reads a company or a user and what they carry (spec §3.1, §3.11).</summary>
internal static class CompanyReader
{
    public static Company ReadCompany(ref JsonInput input)
    {
        input.StartObject("struct Company");
        var seen = default(FieldSet);
        string? id = null, accountId = null, environmentId = null, basePlanId = null;
        Dictionary<string, string>? keys = null;
        List<Trait>? traits = null;
        List<string>? planIds = null, planVersionIds = null, billingProductIds = null;
        Dictionary<string, double>? balances = null;
        Dictionary<string, CreditPostpaid>? postpaid = null;
        List<CompanyMetric>? metrics = null;
        Subscription? subscription = null;
        List<Rule>? rules = null;
        List<FeatureEntitlement>? entitlements = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.Id: id = input.ReadString(); break;
                case Field.AccountId: accountId = input.ReadString(); break;
                case Field.EnvironmentId: environmentId = input.ReadString(); break;
                case Field.Keys: keys = input.ReadMap(static (ref JsonInput i) => i.ReadString()); break;
                case Field.Traits: traits = input.ReadList(ReadTrait); break;
                case Field.BasePlanId: basePlanId = input.ReadOptionalString(); break;
                case Field.PlanIds: planIds = input.ReadList(static (ref JsonInput i) => i.ReadString()); break;
                case Field.PlanVersionIds: planVersionIds = input.ReadList(static (ref JsonInput i) => i.ReadString()); break;
                case Field.BillingProductIds: billingProductIds = input.ReadList(static (ref JsonInput i) => i.ReadString()); break;
                case Field.CreditBalances: balances = input.ReadMap(static (ref JsonInput i) => i.ReadDouble()); break;
                case Field.CreditPostpaid: postpaid = input.ReadMap(ReadPostpaid); break;
                case Field.Metrics: metrics = input.ReadList(ReadMetric); break;
                case Field.Subscription: subscription = ReadOptionalSubscription(ref input); break;
                case Field.Rules: rules = input.ReadList(FlagReader.ReadRule); break;
                case Field.Entitlements: entitlements = input.ReadList(EntitlementReader.ReadEntitlement); break;
                default: input.SkipValue(); break;
            }
        }

        return new Company
        {
            Id = Required.Value(id, Field.Id),
            AccountId = Required.Value(accountId, Field.AccountId),
            EnvironmentId = Required.Value(environmentId, Field.EnvironmentId),
            Keys = keys ?? [],
            Traits = traits ?? [],
            BasePlanId = basePlanId,
            PlanIds = planIds ?? [],
            PlanVersionIds = planVersionIds ?? [],
            BillingProductIds = billingProductIds ?? [],
            CreditBalances = balances ?? [],
            CreditPostpaid = postpaid ?? [],
            Metrics = metrics ?? [],
            Subscription = subscription,
            Rules = rules ?? [],
            Entitlements = entitlements ?? [],
        };
    }

    public static User ReadUser(ref JsonInput input)
    {
        input.StartObject("struct User");
        var seen = default(FieldSet);
        string? id = null, accountId = null, environmentId = null;
        Dictionary<string, string>? keys = null;
        List<Trait>? traits = null;
        List<Rule>? rules = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.Id: id = input.ReadString(); break;
                case Field.AccountId: accountId = input.ReadString(); break;
                case Field.EnvironmentId: environmentId = input.ReadString(); break;
                case Field.Keys: keys = input.ReadMap(static (ref JsonInput i) => i.ReadString()); break;
                case Field.Traits: traits = input.ReadList(ReadTrait); break;
                case Field.Rules: rules = input.ReadList(FlagReader.ReadRule); break;
                default: input.SkipValue(); break;
            }
        }

        return new User
        {
            Id = Required.Value(id, Field.Id),
            AccountId = Required.Value(accountId, Field.AccountId),
            EnvironmentId = Required.Value(environmentId, Field.EnvironmentId),
            Keys = keys ?? [],
            Traits = traits ?? [],
            Rules = rules ?? [],
        };
    }

    private static Trait ReadTrait(ref JsonInput input)
    {
        input.StartObject("struct Trait");
        var seen = default(FieldSet);
        TraitDefinition? definition = null;
        string? value = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.TraitDefinition: definition = FlagReader.ReadOptionalTraitDefinition(ref input); break;
                case Field.Value: value = input.ReadString(); break;
                default: input.SkipValue(); break;
            }
        }

        return new Trait { TraitDefinition = definition, Value = Required.Value(value, Field.Value) };
    }

    private static CreditPostpaid ReadPostpaid(ref JsonInput input)
    {
        input.StartObject("struct CreditPostpaid");
        var seen = default(FieldSet);
        double? overdraftLimit = null;
        while (input.NextProperty(ref seen, out var field))
        {
            if (field == Field.OverdraftLimit)
            {
                overdraftLimit = input.ReadOptionalDouble();
            }
            else
            {
                input.SkipValue();
            }
        }

        return new CreditPostpaid { OverdraftLimit = overdraftLimit };
    }

    private static CompanyMetric ReadMetric(ref JsonInput input)
    {
        input.StartObject("struct CompanyMetric");
        var seen = default(FieldSet);
        string? accountId = null, environmentId = null, companyId = null, eventSubtype = null, createdAt = null, validUntil = null;
        MetricPeriod? period = null;
        MonthReset? monthReset = null;
        long? value = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.AccountId: accountId = input.ReadString(); break;
                case Field.EnvironmentId: environmentId = input.ReadString(); break;
                case Field.CompanyId: companyId = input.ReadString(); break;
                case Field.EventSubtype: eventSubtype = input.ReadString(); break;
                case Field.Period: period = input.ReadEnum(WireNames.MetricPeriods); break;
                case Field.MonthReset: monthReset = input.ReadEnum(WireNames.MonthResets); break;
                case Field.Value: value = input.ReadLong(); break;
                case Field.CreatedAt: createdAt = input.ReadString(); break;
                case Field.ValidUntil: validUntil = input.ReadOptionalString(); break;
                default: input.SkipValue(); break;
            }
        }

        return new CompanyMetric
        {
            AccountId = Required.Value(accountId, Field.AccountId),
            EnvironmentId = Required.Value(environmentId, Field.EnvironmentId),
            CompanyId = Required.Value(companyId, Field.CompanyId),
            EventSubtype = Required.Value(eventSubtype, Field.EventSubtype),
            Period = Required.Value(period, Field.Period),
            MonthReset = Required.Value(monthReset, Field.MonthReset),
            Value = Required.Value(value, Field.Value),
            CreatedAt = Required.Value(createdAt, Field.CreatedAt),
            ValidUntil = validUntil,
        };
    }

    private static Subscription? ReadOptionalSubscription(ref JsonInput input)
    {
        if (input.SkipNull())
        {
            return null;
        }

        input.StartObject("struct Subscription");

        var seen = default(FieldSet);
        string? id = null, periodStart = null, periodEnd = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.Id: id = input.ReadString(); break;
                case Field.PeriodStart: periodStart = input.ReadString(); break;
                case Field.PeriodEnd: periodEnd = input.ReadString(); break;
                default: input.SkipValue(); break;
            }
        }

        return new Subscription
        {
            Id = Required.Value(id, Field.Id),
            PeriodStart = Required.Value(periodStart, Field.PeriodStart),
            PeriodEnd = Required.Value(periodEnd, Field.PeriodEnd),
        };
    }
}
