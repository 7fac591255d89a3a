using Tollgate.Engine.Model;

namespace Tollgate.Engine.Json;

/// <summary>Reads a flag and its rules, conditions and trait definitions (spec §3.1, §3.11).</summary>
internal static class FlagReader
{
    public static Flag ReadFlag(ref JsonInput input)
    {
        input.StartObject("struct Flag");
        var seen = default(FieldSet);
        string? id = null, accountId = null, environmentId = null, key = null;
        bool? defaultValue = null;
        List<Rule>? rules = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.Id: id = input.ReadString(); break;
                case Field.AccountId: accountId = input.ReadString(); break;
                case Field.EnvironmentId: environmentId = input.ReadString(); break;
                case Field.Key: key = input.ReadString(); break;
                case Field.DefaultValue: defaultValue = input.ReadBool(); break;
                case Field.Rules: rules = input.ReadList(ReadRule); break;
                default: input.SkipValue(); break;
            }
        }

        return new Flag
        {
            Id = Required.Value(id, Field.Id),
            AccountId = Required.Value(accountId, Field.AccountId),
            EnvironmentId = Required.Value(environmentId, Field.EnvironmentId),
            Key = Required.Value(key, Field.Key),
            DefaultValue = Required.Value(defaultValue, Field.DefaultValue),
            Rules = rules ?? [],
        };
    }

    public static Rule ReadRule(ref JsonInput input)
    {
        input.StartObject("struct Rule");
        var seen = default(FieldSet);
        string? id = null, flagId = null, accountId = null, environmentId = null, name = null;
        RuleType? ruleType = null;
        long? priority = null;
        bool? value = null;
        List<Condition>? conditions = null;
        List<ConditionGroup>? groups = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.Id: id = input.ReadString(); break;
                case Field.FlagId: flagId = input.ReadOptionalString(); break;
                case Field.AccountId: accountId = input.ReadString(); break;
                case Field.EnvironmentId: environmentId = input.ReadString(); break;
                case Field.RuleType: ruleType = input.ReadEnum(WireNames.RuleTypes); break;
                case Field.Name: name = input.ReadString(); break;
                case Field.Priority: priority = input.ReadLong(); break;
                case Field.Value: value = input.ReadBool(); break;
                case Field.Conditions: conditions = input.ReadList(ReadCondition); break;
                case Field.ConditionGroups: groups = input.ReadList(ReadConditionGroup); break;
                default: input.SkipValue(); break;
            }
        }

        return new Rule
        {
            Id = Required.Value(id, Field.Id),
            FlagId = flagId,
            AccountId = Required.Value(accountId, Field.AccountId),
            EnvironmentId = Required.Value(environmentId, Field.EnvironmentId),
            RuleType = Required.Value(ruleType, Field.RuleType),
            Name = Required.Value(name, Field.Name),
            Priority = Required.Value(priority, Field.Priority),
            Value = Required.Value(value, Field.Value),
            Conditions = conditions ?? [],
            ConditionGroups = groups ?? [],
        };
    }

    private static ConditionGroup ReadConditionGroup(ref JsonInput input)
    {
        input.StartObject("struct ConditionGroup");
        var seen = default(FieldSet);
        List<Condition>? conditions = null;
        while (input.NextProperty(ref seen, out var field))
        {
            if (field == Field.Conditions)
            {
                conditions = input.ReadList(ReadCondition);
            }
            else
            {
                input.SkipValue();
            }
        }

        return new ConditionGroup { Conditions = conditions ?? [] };
    }

    private static Condition ReadCondition(ref JsonInput input)
    {
        input.StartObject("struct Condition");
        var seen = default(FieldSet);
        string? id = null, accountId = null, environmentId = null, eventSubtype = null, creditId = null, traitValue = null;
        string? conditionType = null, op = null;
        List<string>? resourceIds = null;
        long? metricValue = null;
        MetricPeriod? period = null;
        MonthReset? monthReset = null;
        double? consumptionRate = null;
        TraitDefinition? traitDefinition = null, comparisonTrait = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.Id: id = input.ReadString(); break;
                case Field.AccountId: accountId = input.ReadString(); break;
                case Field.EnvironmentId: environmentId = input.ReadString(); break;
                case Field.ConditionType: conditionType = input.ReadString(); break;
                case Field.Operator: op = input.ReadString(); break;
                case Field.ResourceIds: resourceIds = input.ReadList(static (ref JsonInput i) => i.ReadString()); break;
                case Field.EventSubtype: eventSubtype = input.ReadOptionalString(); break;
                case Field.MetricValue: metricValue = input.ReadOptionalLong(); break;
                case Field.MetricPeriod: period = input.ReadOptionalEnum(WireNames.MetricPeriods); break;
                case Field.MetricPeriodMonthReset: monthReset = input.ReadOptionalEnum(WireNames.MonthResets); break;
                case Field.CreditId: creditId = input.ReadOptionalString(); break;
                case Field.ConsumptionRate: consumptionRate = input.ReadOptionalDouble(); break;
                case Field.TraitDefinition: traitDefinition = ReadOptionalTraitDefinition(ref input); break;
                case Field.TraitValue: traitValue = input.ReadString(); break;
                case Field.ComparisonTraitDefinition: comparisonTrait = ReadOptionalTraitDefinition(ref input); break;
                default: input.SkipValue(); break;
            }
        }

        // Unknown condition types and operators are accepted; such conditions never match (spec §3.11).
        return new Condition
        {
            Id = Required.Value(id, Field.Id),
            AccountId = Required.Value(accountId, Field.AccountId),
            EnvironmentId = Required.Value(environmentId, Field.EnvironmentId),
            ConditionType = WireNames.ConditionTypes.TryParse(Required.Value(conditionType, Field.ConditionType), out var type) ? type : ConditionType.Unknown,
            Operator = WireNames.Operators.TryParse(Required.Value(op, Field.Operator), out var parsedOp) ? parsedOp : ComparisonOperator.Unknown,
            ResourceIds = resourceIds ?? [],
            EventSubtype = eventSubtype,
            MetricValue = metricValue,
            MetricPeriod = period,
            MetricPeriodMonthReset = monthReset,
            CreditId = creditId,
            ConsumptionRate = consumptionRate,
            TraitDefinition = traitDefinition,
            TraitValue = Required.Value(traitValue, Field.TraitValue),
            ComparisonTraitDefinition = comparisonTrait,
        };
    }

    public static TraitDefinition? ReadOptionalTraitDefinition(ref JsonInput input)
    {
        if (input.SkipNull())
        {
            return null;
        }

        input.StartObject("struct TraitDefinition");

        var seen = default(FieldSet);
        string? id = null;
        ComparableType? comparableType = null;
        EntityType? entityType = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.Id: id = input.ReadString(); break;
                case Field.ComparableType: comparableType = input.ReadEnum(WireNames.ComparableTypes); break;
                case Field.EntityType: entityType = input.ReadEnum(WireNames.EntityTypes); break;
                default: input.SkipValue(); break;
            }
        }

        return new TraitDefinition
        {
            Id = Required.Value(id, Field.Id),
            ComparableType = Required.Value(comparableType, Field.ComparableType),
            EntityType = Required.Value(entityType, Field.EntityType),
        };
    }
}
