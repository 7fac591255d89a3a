using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing;

/// <summary>Customers: the company each one is, found or created, always keyed by its Stripe customer id.</summary>
internal sealed partial class StripeObjectSync
{
    /// <summary>Applies a customer Tollgate listed (the import), under the customer's lock.</summary>
    public async Task<string?> ApplyCustomerAsync(StripeConnection connection, StripeCustomerData customer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customer);
        using (await locks.AcquireAsync(connection.EnvironmentId, customer.Id, cancellationToken).ConfigureAwait(false))
        {
            return await ApplyCustomerLockedAsync(connection, customer.Id, customer, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The company of a customer, made to match it: found by the company key <c>stripe_customer_id</c>; else by the
    /// customer's metadata field named by the connection's <c>customer_company_key</c> (the company with that key and
    /// value); else by metadata <c>tollgate_company_id</c> (a company id); else a new company named after the customer.
    /// The company always gets the key <c>stripe_customer_id</c>. A deleted customer (<paramref name="customer"/> null)
    /// leaves its company without billing, on the fallback plan. Answers the company id (null: deleted and never known).
    /// The caller holds the customer's lock.
    /// </summary>
    private async Task<string?> ApplyCustomerLockedAsync(StripeConnection connection, string customerId, StripeCustomerData? customer, CancellationToken cancellationToken)
    {
        var environmentId = connection.EnvironmentId;
        var linked = await CompanyOfCustomerAsync(environmentId, customerId, cancellationToken).ConfigureAwait(false);
        if (customer is null)
        {
            if (linked is not null)
            {
                await companies.WriteSyncedAsync(Scope(connection), linked, (catalog, before, now) => before is null ? null : Unbilled(catalog, before, now), cancellationToken).ConfigureAwait(false);
            }

            return linked;
        }

        var companyKey = connection.Settings.CustomerCompanyKey;
        var keyValue = customer.Metadata.TryGetValue(companyKey, out var value) && value.Length > 0 ? value : null;
        var companyId = linked;
        if (companyId is null && keyValue is not null)
        {
            companyId = await keys.FindAsync(environmentId, EntityKeys.Company, new Dictionary<string, string> { [companyKey] = keyValue }, cancellationToken).ConfigureAwait(false);
        }

        if (companyId is null && customer.Metadata.TryGetValue(StripeCompanyKeys.CompanyIdMetadata, out var namedId)
            && await store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, namedId, cancellationToken).ConfigureAwait(false) is not null)
        {
            companyId = namedId;
        }

        var written = await companies.WriteSyncedAsync(
            Scope(connection),
            companyId,
            (_, before, now) =>
            {
                var company = before ?? NewCompany(customer, companyKey, keyValue, now);
                return company with
                {
                    Keys = EntityKeys.Merge(company.Keys, new Dictionary<string, string> { [StripeCompanyKeys.CustomerId] = customer.Id }),
                    Billing = company.Billing?.CustomerId == customer.Id ? company.Billing : new CompanyBilling { CustomerId = customer.Id, SyncedAt = now },
                };
            },
            cancellationToken).ConfigureAwait(false);
        return written?.Id ?? companyId;
    }

    /// <summary>The company keyed by the customer, or null.</summary>
    private Task<string?> CompanyOfCustomerAsync(string environmentId, string customerId, CancellationToken cancellationToken) =>
        keys.FindAsync(environmentId, EntityKeys.Company, new Dictionary<string, string> { [StripeCompanyKeys.CustomerId] = customerId }, cancellationToken);

    private static CompanyRecord NewCompany(StripeCustomerData customer, string companyKey, string? keyValue, DateTimeOffset now)
    {
        var companyKeys = new Dictionary<string, string> { [StripeCompanyKeys.CustomerId] = customer.Id };
        if (keyValue is not null)
        {
            companyKeys[companyKey] = keyValue;
        }

        return new CompanyRecord
        {
            Id = Ids.New("comp"),
            Name = customer.Name is { Length: > 0 } name ? name : customer.Email ?? customer.Id,
            Keys = companyKeys,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>A company whose customer is gone: no billing, on the plan group's fallback plan (or none), no add-ons, no period.</summary>
    private static CompanyRecord Unbilled(CatalogSnapshot catalog, CompanyRecord before, DateTimeOffset now)
    {
        return CompanyPlanVersions.Assign(catalog, before, before with { Billing = null, BasePlanId = catalog.FallbackPlanId, AddOnIds = [], Subscription = null }, now);
    }
}
