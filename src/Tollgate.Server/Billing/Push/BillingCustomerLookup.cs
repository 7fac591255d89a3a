using Tollgate.Server.Companies;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Push;

/// <summary>The company a billing customer bills: the pushed customer's company, else the company keyed by the (Stripe) customer id.</summary>
internal sealed class BillingCustomerLookup(BillingDocuments documents, EntityKeys keys)
{
    public async Task<string?> CompanyOfAsync(string environmentId, string customerExternalId, CancellationToken cancellationToken) =>
        await documents.ByKeyAsync<BillingCustomerRecord>(environmentId, ResourceKinds.BillingCustomer, customerExternalId, cancellationToken).ConfigureAwait(false) is { DeletedAt: null, CompanyId: { } linked }
            ? linked
            : await keys.FindAsync(environmentId, EntityKeys.Company, new Dictionary<string, string> { [StripeCompanyKeys.CustomerId] = customerExternalId }, cancellationToken).ConfigureAwait(false);
}
