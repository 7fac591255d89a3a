using Tollgate.Server.Companies;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Outbound;

/// <summary>
/// A company's Stripe customer: the one its key <see cref="StripeCompanyKeys.CustomerId"/> (or its synced billing)
/// names, or a new one made for it — with metadata naming the company (<c>tollgate_company_id</c> and the environment's
/// customer company key, e.g. <c>metadata[id]=acme</c>, so an import or webhook maps it back) — linked by adding the
/// company key through the normal company write path, as the Stripe sync's actor.
/// </summary>
internal sealed class StripeCustomerLink(CompanyService companies)
{
    /// <summary>The customer a company already has in Stripe, or null.</summary>
    public static string? Existing(CompanyRecord company)
    {
        ArgumentNullException.ThrowIfNull(company);
        // A customer pushed from another billing system (Provider set) is not a Stripe customer.
        return company.Keys.GetValueOrDefault(StripeCompanyKeys.CustomerId) ?? (company.Billing is { Provider: null } billing ? billing.CustomerId : null);
    }

    /// <summary>The company's customer, made and linked when it has none.</summary>
    public async Task<string> EnsureAsync(StripeConnection connection, CompanyRecord company, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(company);
        if (Existing(company) is { } existing)
        {
            return existing;
        }

        var metadata = new Dictionary<string, string>
        {
            [StripeCompanyKeys.CompanyIdMetadata] = company.Id,
            [StripeCompanyKeys.EnvironmentIdMetadata] = connection.EnvironmentId,
        };
        if (company.Keys.TryGetValue(connection.Settings.CustomerCompanyKey, out var keyValue))
        {
            metadata[connection.Settings.CustomerCompanyKey] = keyValue;
        }

        // Keyed by the company (Stripe answers the first customer to a retry), so two concurrent checkouts make one customer.
        var customer = await new StripeSessions(connection.Account).CreateCustomerAsync(new NewStripeCustomer(null, company.Name, metadata), cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<string, string>(company.Keys) { [StripeCompanyKeys.CustomerId] = customer.Id };
        await companies.UpsertAsync(
            StripeActor.Scope(connection.EnvironmentId),
            new UpsertCompanyRequest(keys, null, null, null, null, null, null, UpdateOnly: true),
            createOnly: false,
            cancellationToken).ConfigureAwait(false);
        return customer.Id;
    }
}
