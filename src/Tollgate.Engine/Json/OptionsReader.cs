namespace Tollgate.Engine.Json;

/// <summary>Reads preflight options, which the reference engine takes in snake_case only (spec §3.11).</summary>
internal static class OptionsReader
{
    public static CheckOptions ReadOptions(ref JsonInput input)
    {
        input.StartObject("struct CheckOptions");
        long? usage = null;
        EventUsage? eventUsage = null;
        Dictionary<string, double>? creditCost = null;
        while (!input.AtEndObject)
        {
            if (input.PropertyIs("usage"u8))
            {
                input.NextProperty(out _);
                usage = input.ReadOptionalLong();
            }
            else if (input.PropertyIs("event_usage"u8))
            {
                input.NextProperty(out _);
                eventUsage = ReadEventUsage(ref input);
            }
            else if (input.PropertyIs("credit_cost"u8))
            {
                input.NextProperty(out _);
                creditCost = input.SkipNull() ? null : input.ReadMap(static (ref JsonInput i) => i.ReadDouble());
            }
            else
            {
                input.NextProperty(out _);
                input.SkipValue();
            }
        }

        input.NextProperty(out _);
        return new CheckOptions { Usage = usage, EventUsage = eventUsage, CreditCost = creditCost };
    }

    private static EventUsage? ReadEventUsage(ref JsonInput input)
    {
        if (input.SkipNull())
        {
            return null;
        }

        input.StartObject("struct EventUsage");
        string? eventSubtype = null;
        long? quantity = null;
        while (!input.AtEndObject)
        {
            if (input.PropertyIs("event_subtype"u8))
            {
                input.NextProperty(out _);
                eventSubtype = input.ReadString();
            }
            else if (input.PropertyIs("quantity"u8))
            {
                input.NextProperty(out _);
                quantity = input.ReadLong();
            }
            else
            {
                input.NextProperty(out _);
                input.SkipValue();
            }
        }

        input.NextProperty(out _);
        return new EventUsage
        {
            EventSubtype = Required.Value(eventSubtype, Field.EventSubtype),
            Quantity = Required.Value(quantity, Field.Quantity),
        };
    }
}
