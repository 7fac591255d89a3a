namespace Tollgate.Server.Credits;

/// <summary>A credit type (Schematic's <c>BillingCreditResponseData</c>); deleting one only marks it deleted.</summary>
public sealed record CreditTypeRecord
{
    /// <summary>The id (<c>bcrd_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Description.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Icon name.</summary>
    public string? Icon { get; init; }

    /// <summary>Name of one credit.</summary>
    public string? SingularName { get; init; }

    /// <summary>Name of several credits.</summary>
    public string? PluralName { get; init; }

    /// <summary>Currency of the credit's price.</summary>
    public string Currency { get; init; } = "usd";

    /// <summary>Price of one credit, in the currency's minor unit.</summary>
    public double? PerUnitPrice { get; init; }

    /// <summary>Which grants are burnt first. Tollgate burns by <c>expiration_priority</c> whatever is stored.</summary>
    public string BurnStrategy { get; init; } = "expiration_priority";

    /// <summary><c>days</c> or <c>billing_periods</c>.</summary>
    public string DefaultExpiryUnit { get; init; } = "days";

    /// <summary>How many expiry units a grant lasts by default.</summary>
    public int? DefaultExpiryUnitCount { get; init; }

    /// <summary><c>none</c>, <c>expire</c> or <c>rollover</c>.</summary>
    public string DefaultRolloverPolicy { get; init; } = "none";

    /// <summary>Always false: prices are not edited per grant.</summary>
    public bool CostEditable { get; init; }

    /// <summary>Tollgate keeps the ledger itself.</summary>
    public string LedgerAuthority { get; init; } = "schematic_authoritative";

    /// <summary>Prices per currency (none kept yet).</summary>
    public IReadOnlyList<object> CurrencyPrices { get; init; } = [];

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was deleted; a deleted credit type is hidden and takes no new grants.</summary>
    public DateTimeOffset? DeletedAt { get; init; }
}
