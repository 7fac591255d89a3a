namespace Tollgate.Server.Billing.Push;

/// <summary>Body of <c>PUT /companies/{id}/billing-details</c> (Schematic's <c>UpdateCompanyBillingDetailsRequestBody</c>).</summary>
public sealed record UpdateCompanyBillingDetailsRequest(BillingAddressRequest? Address, string? Email, string? Phone, TaxIdRequest? TaxId, IReadOnlyList<CheckoutFieldValueRequest?>? Values);

/// <summary>A billing address as given.</summary>
public sealed record BillingAddressRequest(string? City, string? Country, string? Line1, string? Line2, string? PostalCode, string? State);

/// <summary>A tax id as given.</summary>
public sealed record TaxIdRequest(string? Type, string? Value);

/// <summary>A custom checkout field's value.</summary>
public sealed record CheckoutFieldValueRequest(string? Id, string? Value);

/// <summary>A company's stored billing details (kind <c>company_billing_details</c>).</summary>
public sealed record CompanyBillingDetailsRecord
{
    /// <summary>The company (also the id).</summary>
    public required string CompanyId { get; init; }

    /// <summary>The billing address.</summary>
    public BillingAddressRecord? Address { get; init; }

    /// <summary>The billing email.</summary>
    public string? Email { get; init; }

    /// <summary>The billing phone.</summary>
    public string? Phone { get; init; }

    /// <summary>The tax ids.</summary>
    public IReadOnlyList<TaxIdRecord> TaxIds { get; init; } = [];

    /// <summary>When last set.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A billing address (Schematic's <c>CompanyBillingAddressView</c>; empty strings for parts not given).</summary>
public sealed record BillingAddressRecord(string City, string Country, string Line1, string Line2, string PostalCode, string State);

/// <summary>A tax id; its country is the type's prefix (<c>eu_vat</c> → EU).</summary>
public sealed record TaxIdRecord(string Id, string Type, string Value, string Country);

/// <summary>Schematic's <c>CompanyBillingDetailsResponseData</c>.</summary>
public sealed record CompanyBillingDetailsResponse(
    BillingAddressRecord? Address,
    CheckoutSettingsResponse CheckoutSettings,
    IReadOnlyList<object> CustomFields,
    string? Email,
    string? Phone,
    IReadOnlyList<TaxIdResponse> TaxIds);

/// <summary>What the checkout collects (Schematic's <c>CompanyBillingCheckoutSettings</c>).</summary>
public sealed record CheckoutSettingsResponse(bool CollectAddress, bool CollectEmail, bool CollectPhone, bool CollectTaxId);

/// <summary>A tax id (Schematic's <c>CompanyTaxIdView</c>).</summary>
public sealed record TaxIdResponse(string Id, string Type, string Value, string Country, string? VerificationStatus);
