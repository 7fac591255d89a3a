using Tollgate.Engine.Model;

namespace Tollgate.Engine.Json;

/// <summary>Reads a company's feature entitlements (spec §3.8), which a check echoes untouched.</summary>
internal static class EntitlementReader
{
    public static FeatureEntitlement ReadEntitlement(ref JsonInput input)
    {
        input.StartObject("struct FeatureEntitlement");
        var seen = default(FieldSet);
        string? featureId = null, featureKey = null, eventName = null, eventSubtype = null, metricResetAt = null, creditId = null;
        EntitlementValueType? valueType = null;
        long? allocation = null, softLimit = null, usage = null;
        MetricPeriod? period = null;
        MonthReset? monthReset = null;
        double? creditTotal = null, creditUsed = null, creditRemaining = null, creditReserved = null, creditSettled = null, rate = null;
        List<WarningTier>? warningTiers = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.FeatureId: featureId = input.ReadString(); break;
                case Field.FeatureKey: featureKey = input.ReadString(); break;
                case Field.ValueType: valueType = input.ReadEnum(WireNames.EntitlementValueTypes); break;
                case Field.Allocation: allocation = input.ReadOptionalLong(); break;
                case Field.SoftLimit: softLimit = input.ReadOptionalLong(); break;
                case Field.Usage: usage = input.ReadOptionalLong(); break;
                case Field.EventName: eventName = input.ReadOptionalString(); break;
                case Field.EventSubtype: eventSubtype = input.ReadOptionalString(); break;
                case Field.MetricPeriod: period = input.ReadOptionalEnum(WireNames.MetricPeriods); break;
                case Field.MonthReset: monthReset = input.ReadOptionalEnum(WireNames.MonthResets); break;
                case Field.MetricResetAt: metricResetAt = input.ReadOptionalString(); break;
                case Field.CreditId: creditId = input.ReadOptionalString(); break;
                case Field.CreditTotal: creditTotal = input.ReadOptionalDouble(); break;
                case Field.CreditUsed: creditUsed = input.ReadOptionalDouble(); break;
                case Field.CreditRemaining: creditRemaining = input.ReadOptionalDouble(); break;
                case Field.CreditReserved: creditReserved = input.ReadOptionalDouble(); break;
                case Field.CreditSettled: creditSettled = input.ReadOptionalDouble(); break;
                case Field.ConsumptionRate: rate = input.ReadOptionalDouble(); break;
                case Field.WarningTiers: warningTiers = input.SkipNull() ? null : input.ReadList(ReadWarningTier); break;
                default: input.SkipValue(); break;
            }
        }

        return new FeatureEntitlement
        {
            FeatureId = Required.Value(featureId, Field.FeatureId),
            FeatureKey = Required.Value(featureKey, Field.FeatureKey),
            ValueType = Required.Value(valueType, Field.ValueType),
            Allocation = allocation,
            SoftLimit = softLimit,
            Usage = usage,
            EventName = eventName,
            EventSubtype = eventSubtype,
            MetricPeriod = period,
            MonthReset = monthReset,
            MetricResetAt = metricResetAt,
            CreditId = creditId,
            CreditTotal = creditTotal,
            CreditUsed = creditUsed,
            CreditRemaining = creditRemaining,
            CreditReserved = creditReserved,
            CreditSettled = creditSettled,
            ConsumptionRate = rate,
            WarningTiers = warningTiers,
        };
    }

    private static WarningTier ReadWarningTier(ref JsonInput input)
    {
        input.StartObject("struct WarningTier");
        var seen = default(FieldSet);
        string? key = null;
        long? value = null;
        while (input.NextProperty(ref seen, out var field))
        {
            switch (field)
            {
                case Field.Key: key = input.ReadString(); break;
                case Field.Value: value = input.ReadLong(); break;
                default: input.SkipValue(); break;
            }
        }

        return new WarningTier { Key = Required.Value(key, Field.Key), Value = Required.Value(value, Field.Value) };
    }
}
