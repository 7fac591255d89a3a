using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// Company billing profiles (<c>GET /billing/profiles</c>, <c>PUT /billing/profiles/{id}</c>): every company with a
/// billing customer has one default profile (id <c>bprof_</c> + the company id), charged automatically until a
/// <c>PUT</c> stores other settings for it. A company without a billing customer has none.
/// </summary>
internal sealed class BillingProfiles(ResourceStore store, BillingDocuments documents, TimeProvider time)
{
    private const string Prefix = "bprof_";

    public async Task<IReadOnlyList<BillingProfileResponse>> ListAsync(string environmentId, ListQuery query, CancellationToken cancellationToken)
    {
        var companyId = query.One("company_id");
        var isDefault = query.Bool("is_default");
        var provider = query.One("provider_type") is { } given ? BillingProviders.Of(given) : null;
        var companies = companyId is null
            ? await store.ListAllAsync<CompanyRecord>(environmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false)
            : await store.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, [companyId], cancellationToken).ConfigureAwait(false);
        var stored = (await store.ListAllAsync<BillingProfileRecord>(environmentId, ResourceKinds.BillingProfile, cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.CompanyId, StringComparer.Ordinal);
        return [.. companies
            .Where(c => c.Billing is not null)
            .Select(c => Describe(environmentId, c, stored.GetValueOrDefault(c.Id)))
            .Where(p => (isDefault is null || p.IsDefault == isDefault) && (provider is null || p.ProviderType == provider))];
    }

    public async Task<BillingProfileResponse> UpdateAsync(RequestScope scope, string profileId, UpdateBillingProfileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var company = profileId.StartsWith(Prefix, StringComparison.Ordinal)
            ? await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, profileId[Prefix.Length..], cancellationToken).ConfigureAwait(false)
            : null;
        if (company?.Billing is null)
        {
            Errors.NotFound("billing profile");
        }

        var collection = Validate.OneOf(request.CollectionMethod, "collection_method", ("charge_automatically", "charge_automatically"), ("send_invoice", "send_invoice"));
        var proration = request.ProrationBehavior is null ? null
            : Validate.OneOf(request.ProrationBehavior, "proration_behavior", ("create_prorations", "create_prorations"), ("invoice_immediately", "invoice_immediately"));
        if (request.DaysUntilDue is < 0 or > 365)
        {
            Errors.BadRequest("days_until_due", "must be between 0 and 365");
        }

        if (collection == "send_invoice" && request.DaysUntilDue is null)
        {
            Errors.BadRequest("days_until_due", "is required when collection_method is send_invoice");
        }

        if (request.PaymentMethodId is { } methodId
            && await documents.FindAsync<BillingPaymentMethodRecord>(scope.EnvironmentId, ResourceKinds.BillingPaymentMethod, methodId, cancellationToken).ConfigureAwait(false) is not { } method)
        {
            Errors.BadRequest("payment_method_id", "no payment method has this id (POST /billing/payment-methods first)");
        }

        var before = await store.GetAsync<BillingProfileRecord>(scope.EnvironmentId, ResourceKinds.BillingProfile, profileId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var after = new BillingProfileRecord
        {
            Id = profileId,
            CompanyId = company.Id,
            CollectionMethod = collection,
            DaysUntilDue = request.DaysUntilDue,
            IsDefault = request.IsDefault ?? before?.IsDefault ?? true,
            Name = Validate.Bounded(request.Name, "name") ?? before?.Name,
            PaymentMethodId = request.PaymentMethodId ?? before?.PaymentMethodId,
            ProrationBehavior = proration,
            CreatedAt = before?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        await documents.SaveAsync(scope, ResourceKinds.BillingProfile, profileId, null, company.Id, company.Id, before, after, cancellationToken).ConfigureAwait(false);
        return Describe(scope.EnvironmentId, company, after);
    }

    private static BillingProfileResponse Describe(string environmentId, CompanyRecord company, BillingProfileRecord? stored) => new(
        stored?.Id ?? Prefix + company.Id,
        EngineIds.Account,
        environmentId,
        company.Id,
        company.Billing!.CustomerId,
        stored?.CollectionMethod ?? "charge_automatically",
        stored?.DaysUntilDue,
        stored?.IsDefault ?? true,
        stored?.Name,
        stored?.PaymentMethodId,
        stored?.ProrationBehavior,
        BillingProviders.OfBilling(company.Billing.Provider),
        stored?.CreatedAt ?? company.CreatedAt,
        stored?.UpdatedAt ?? company.Billing.SyncedAt);
}

/// <summary>Body of <c>PUT /billing/profiles/{id}</c> (Schematic's <c>UpdateCompanyBillingProfileRequestBody</c>).</summary>
public sealed record UpdateBillingProfileRequest(string? CollectionMethod, long? DaysUntilDue, bool? IsDefault, string? Name, string? PaymentMethodId, string? ProrationBehavior);

/// <summary>A profile set by hand (kind <c>billing_profile</c>, parent = the company).</summary>
public sealed record BillingProfileRecord
{
    /// <summary><c>bprof_</c> + the company id.</summary>
    public required string Id { get; init; }

    /// <summary>The company.</summary>
    public required string CompanyId { get; init; }

    /// <summary><c>charge_automatically</c> or <c>send_invoice</c>.</summary>
    public required string CollectionMethod { get; init; }

    /// <summary>Days an invoice is due in (send_invoice).</summary>
    public long? DaysUntilDue { get; init; }

    /// <summary>True for the company's default profile.</summary>
    public bool IsDefault { get; init; } = true;

    /// <summary>The profile's name.</summary>
    public string? Name { get; init; }

    /// <summary>The payment method charged.</summary>
    public string? PaymentMethodId { get; init; }

    /// <summary><c>create_prorations</c> or <c>invoice_immediately</c>.</summary>
    public string? ProrationBehavior { get; init; }

    /// <summary>When first set.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When last set.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A profile as Schematic's <c>CompanyBillingProfileResponseData</c>.</summary>
public sealed record BillingProfileResponse(
    string Id,
    string AccountId,
    string EnvironmentId,
    string CompanyId,
    string? BillingCustomerId,
    string CollectionMethod,
    long? DaysUntilDue,
    bool IsDefault,
    string? Name,
    string? PaymentMethodId,
    string? ProrationBehavior,
    string ProviderType,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
