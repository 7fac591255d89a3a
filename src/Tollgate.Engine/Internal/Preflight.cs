namespace Tollgate.Engine.Internal;

/// <summary>The preflight options of one check, flattened so conditions read them without lookups through nulls.</summary>
internal readonly struct Preflight
{
    public Preflight(CheckOptions? options)
    {
        Usage = options?.Usage ?? 0;
        EventSubtype = options?.EventUsage?.EventSubtype;
        EventQuantity = options?.EventUsage?.Quantity ?? 0;
        CreditCost = options?.CreditCost;
        HasNegativeCreditCost = options?.HasNegativeCreditCost ?? false;
    }

    public bool HasNegativeCreditCost { get; }

    /// <summary>Generic usage; only a positive value changes anything.</summary>
    public long Usage { get; }

    public string? EventSubtype { get; }

    /// <summary>Usage of <see cref="EventSubtype"/>; only a positive value changes anything.</summary>
    public long EventQuantity { get; }

    public IReadOnlyDictionary<string, double>? CreditCost { get; }

    /// <summary>The preflight error of spec §3.2 step 1, or null.</summary>
    public string? Validate()
    {
        if (Usage < 0 || EventQuantity < 0)
        {
            return "preflight usage cannot be negative";
        }

        return HasNegativeCreditCost ? "preflight credit cost cannot be negative" : null;
    }

    /// <summary>Quantity of this event subtype if positive, else generic usage if positive, else 0.</summary>
    public long UsageFor(string eventSubtype) =>
        EventQuantity > 0 && string.Equals(EventSubtype, eventSubtype, StringComparison.Ordinal) ? EventQuantity
        : Usage > 0 ? Usage : 0;
}
