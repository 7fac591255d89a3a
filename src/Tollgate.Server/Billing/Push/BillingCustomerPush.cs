using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// Customers pushed from a billing system (<c>POST /billing/customer/upsert</c>, <c>DELETE /billing/customer/{id}</c>).
/// The company a customer names gets it as its billing customer exactly as the Stripe sync gives a company its Stripe
/// customer (a new customer replaces the billing state of another one); deleting the customer leaves its company
/// without billing, on the fallback plan, as a customer deleted in Stripe does.
/// </summary>
internal sealed class BillingCustomerPush(
    BillingDocuments documents, ResourceStore store, CompanyService companies, StripeConnections connections, StripeCustomerLocks locks, TimeProvider time)
{
    public async Task<BillingCustomerRecord> UpsertAsync(RequestScope scope, UpsertBillingCustomerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var externalId = Validate.Required(request.ExternalId, "external_id");
        var email = Validate.Bounded(request.Email, "email") ?? Missing("email");
        var name = Validate.Bounded(request.Name, "name") ?? Missing("name");
        var meta = request.Meta ?? throw new RequestException(StatusCodes.Status400BadRequest, "meta: is required (an empty object for none)");
        var provider = BillingProviders.Of(request.ProviderType);
        if (request.CompanyId is { } named && await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, named, cancellationToken).ConfigureAwait(false) is null)
        {
            Errors.BadRequest("company_id", "no company has this id");
        }

        using (await locks.AcquireAsync(scope.EnvironmentId, externalId, cancellationToken).ConfigureAwait(false))
        {
            var before = await documents.ByKeyAsync<BillingCustomerRecord>(scope.EnvironmentId, ResourceKinds.BillingCustomer, externalId, cancellationToken).ConfigureAwait(false);
            PushedProvider.EnsureSame(before?.ProviderType, provider, "customer");

            var now = time.GetUtcNow();
            var after = new BillingCustomerRecord
            {
                Id = before?.Id ?? Ids.New("bcus"),
                ExternalId = externalId,
                Name = name,
                Email = email,
                CompanyId = request.CompanyId ?? before?.CompanyId,
                ProviderType = provider,
                Meta = meta,
                DefaultPaymentMethodId = Validate.Bounded(request.DefaultPaymentMethodId, "default_payment_method_id") ?? before?.DefaultPaymentMethodId,
                CreatedAt = before?.CreatedAt ?? now,
                UpdatedAt = now,
            };
            await documents.SaveAsync(scope, ResourceKinds.BillingCustomer, after.Id, externalId, null, after.CompanyId, before, after, cancellationToken).ConfigureAwait(false);
            if (before?.CompanyId is { } moved && moved != after.CompanyId)
            {
                await UnbillAsync(scope, moved, externalId, cancellationToken).ConfigureAwait(false);
            }

            if (after.CompanyId is { } companyId)
            {
                await companies.WriteSyncedAsync(scope, companyId, (_, company, at) => company is null ? null : Link(company, after, at), cancellationToken).ConfigureAwait(false);
            }

            return after;
        }
    }

    /// <summary>Marks a customer deleted (by id or external id); its company is left without billing.</summary>
    public async Task DeleteAsync(RequestScope scope, string idOrExternalId, CancellationToken cancellationToken)
    {
        var found = await documents.FindAsync<BillingCustomerRecord>(scope.EnvironmentId, ResourceKinds.BillingCustomer, idOrExternalId, cancellationToken).ConfigureAwait(false);
        if (found is null || found.DeletedAt is not null)
        {
            Errors.NotFound("billing customer");
        }

        using (await locks.AcquireAsync(scope.EnvironmentId, found.ExternalId, cancellationToken).ConfigureAwait(false))
        {
            var now = time.GetUtcNow();
            await documents.SaveAsync(scope, ResourceKinds.BillingCustomer, found.Id, found.ExternalId, null, found.CompanyId, found, found with { DeletedAt = now, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
            if (found.CompanyId is { } companyId)
            {
                await UnbillAsync(scope, companyId, found.ExternalId, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The company billed by <paramref name="customerId"/> loses its billing: its subscription is treated as ended.</summary>
    private async Task UnbillAsync(RequestScope scope, string companyId, string customerId, CancellationToken cancellationToken)
    {
        var settings = (await connections.GetAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false))?.Settings ?? new StripeSettings();
        await companies.WriteSyncedAsync(
            scope,
            companyId,
            (catalog, before, now) =>
            {
                if (before?.Billing is not { } billing || billing.CustomerId != customerId)
                {
                    return null;
                }

                var ended = billing.SubscriptionId is null
                    ? before
                    : BillingPlans.Apply(catalog, settings, before, billing with { Status = StripeSubscriptionStatuses.Canceled, SyncedAt = now }, null, BillingSubscriptionPush.NoCatalog, now);
                return ended with { Billing = null };
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static CompanyRecord Link(CompanyRecord company, BillingCustomerRecord customer, DateTimeOffset now)
    {
        var provider = customer.ProviderType == BillingProviders.Stripe ? null : customer.ProviderType;
        var billing = company.Billing?.CustomerId == customer.ExternalId
            ? company.Billing with { Provider = provider }
            : new CompanyBilling { CustomerId = customer.ExternalId, Provider = provider, SyncedAt = now };
        var keys = provider is null
            ? EntityKeys.Merge(company.Keys, new Dictionary<string, string> { [StripeCompanyKeys.CustomerId] = customer.ExternalId })
            : company.Keys;
        return company with { Billing = billing, Keys = keys };
    }

    private static string Missing(string field)
    {
        Errors.BadRequest(field, "is required");
        return "";
    }
}
