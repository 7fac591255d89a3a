namespace Tollgate.Server.Billing;

/// <summary>A Stripe product as the API shows it (Schematic's billing product fields where they exist) and the plan it maps to.</summary>
public sealed record BillingProductResponse(
    string Id,
    string ProductId,
    string ExternalId,
    string EnvironmentId,
    string Name,
    bool IsActive,
    bool Deleted,
    string? PlanId,
    bool PlanMappedManually,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset? CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Describes a record.</summary>
    public static BillingProductResponse From(BillingProductRecord record, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.Id, record.Id, environmentId, record.Name, record.Active, record.Deleted, record.PlanId, record.PlanMappedManually, record.Metadata, record.StripeCreatedAt, record.UpdatedAt);
    }
}

/// <summary>A Stripe price as the API shows it and the plan version it maps to.</summary>
public sealed record BillingPriceResponse(
    string Id,
    string PriceId,
    string ExternalId,
    string EnvironmentId,
    string ProductId,
    bool IsActive,
    string Currency,
    long? Price,
    string? Interval,
    long IntervalCount,
    string? UsageType,
    string? MeterId,
    string? LookupKey,
    string? PlanVersionId,
    bool PlanVersionMappedManually,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Describes a record.</summary>
    public static BillingPriceResponse From(BillingPriceRecord record, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(
            record.Id, record.Id, record.Id, environmentId, record.ProductId, record.Active, record.Currency, record.UnitAmount, record.Interval, record.IntervalCount,
            record.UsageType, record.MeterId, record.LookupKey, record.PlanVersionId, record.PlanVersionMappedManually, record.Metadata, record.UpdatedAt);
    }
}

/// <summary>Body of <c>PUT /billing/products/{id}</c>: the plan (or add-on) the product sells; null unmaps it. Either way a sync no longer changes it.</summary>
public sealed record MapBillingProductRequest(string? PlanId);

/// <summary>Body of <c>PUT /billing/prices/{id}</c>: the plan version the price belongs to; null leaves it to the product's plan. A sync no longer changes it.</summary>
public sealed record MapBillingPriceRequest(string? PlanVersionId);
