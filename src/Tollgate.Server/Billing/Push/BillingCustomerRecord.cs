namespace Tollgate.Server.Billing.Push;

/// <summary>
/// A customer of a billing system, pushed through <c>POST /billing/customer/upsert</c> (resource kind
/// <c>billing_customer</c>, key = the external id). The company it bills gets the customer in its billing state, as a
/// Stripe customer's company does.
/// </summary>
public sealed record BillingCustomerRecord
{
    /// <summary>Tollgate's id (<c>bcus_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The customer's id in its billing system.</summary>
    public required string ExternalId { get; init; }

    /// <summary>The customer's name there.</summary>
    public string Name { get; init; } = "";

    /// <summary>The customer's email there (empty when none).</summary>
    public string Email { get; init; } = "";

    /// <summary>The company it bills; null when linked to none yet.</summary>
    public string? CompanyId { get; init; }

    /// <summary>The billing system.</summary>
    public string ProviderType { get; init; } = BillingProviders.Pushed;

    /// <summary>The customer's metadata.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; init; } = new Dictionary<string, string>();

    /// <summary>The customer's default payment method (as its billing system names it).</summary>
    public string? DefaultPaymentMethodId { get; init; }

    /// <summary>When Tollgate first stored it.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When Tollgate last wrote it.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was deleted (<c>DELETE /billing/customer/{id}</c>); a deleted customer is no longer listed.</summary>
    public DateTimeOffset? DeletedAt { get; init; }
}
