using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Outbound;
using Tollgate.Server.Billing.Push;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Lifecycle;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Components;

/// <summary>
/// The billing side of the hydrate answer for one company: its subscription (from the billing state Tollgate keeps),
/// its next invoice and custom checkout field values (from Stripe, read in parallel, only when the company has a Stripe
/// customer), and what the card form needs to know of the Stripe account. A Stripe failure leaves the Stripe parts
/// out (logged) rather than failing the portal.
/// </summary>
internal sealed partial class ComponentBilling(ResourceStore store, StripeConnections connections, ComponentInvoices invoices, ILogger<ComponentBilling> logger)
{
    /// <summary>The billing parts of the hydrate answer.</summary>
    public async Task<ComponentBillingParts> ReadAsync(RequestScope scope, CompanyRecord company, PlanGroupRecord group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(group);
        var connection = await connections.GetAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var customerId = company.Billing is { Provider: not null } ? null : StripeCustomerLink.Existing(company);
        var upcoming = invoices.TryUpcomingAsync(scope, company, cancellationToken);
        var values = connection is not null && customerId is not null && group.CustomCheckoutFields.Count > 0
            ? FieldValuesAsync(connection, company.Id, customerId, cancellationToken)
            : Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
        var subscription = await SubscriptionAsync(scope.EnvironmentId, company, cancellationToken).ConfigureAwait(false);
        var metadata = await values.ConfigureAwait(false);
        return new ComponentBillingParts(
            subscription,
            await upcoming.ConfigureAwait(false),
            [.. group.CustomCheckoutFields.Select(f => new CheckoutFieldWithValueResponse(
                f.DefinitionId ?? f.Id, f.HelperText, f.Id, f.Name, f.Required, f.StripeMetadataKey, metadata.GetValueOrDefault(f.StripeMetadataKey) is { Length: > 0 } value ? value : null))],

            // The card form's account. Tollgate keeps no Stripe publishable key and creates no setup intent on a read:
            // the embedding page loads Stripe.js with its own key, and the components ask for a setup intent
            // (POST /components/setup-intent) when the card form opens.
            connection is null ? null : new StripeEmbedResponse(connection.AccountId, null, string.Empty, null));
    }

    private async Task<ComponentSubscriptionResponse?> SubscriptionAsync(string environmentId, CompanyRecord company, CancellationToken cancellationToken)
    {
        if (company.Billing is not { Items.Count: > 0 } billing)
        {
            return ComponentSubscriptionResponse.Of(company, environmentId, new Dictionary<string, BillingPriceRecord>(), new Dictionary<string, BillingProductRecord>());
        }

        var prices = new Dictionary<string, BillingPriceRecord>(StringComparer.Ordinal);
        var products = new Dictionary<string, BillingProductRecord>(StringComparer.Ordinal);
        foreach (var item in billing.Items)
        {
            if (await store.GetAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, item.PriceId, cancellationToken).ConfigureAwait(false) is { } price)
            {
                prices[price.Id] = price;
            }

            if (!products.ContainsKey(item.ProductId)
                && await store.GetAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, item.ProductId, cancellationToken).ConfigureAwait(false) is { } product)
            {
                products[product.Id] = product;
            }
        }

        return ComponentSubscriptionResponse.Of(company, environmentId, prices, products);
    }

    private async Task<IReadOnlyDictionary<string, string>> FieldValuesAsync(StripeConnection connection, string companyId, string customerId, CancellationToken cancellationToken)
    {
        try
        {
            return await new StripeComponentBilling(connection.Account).GetCustomerMetadataAsync(customerId, cancellationToken).ConfigureAwait(false)
                ?? new Dictionary<string, string>();
        }
        catch (StripeCallException e)
        {
            Log.FieldValuesFailed(logger, companyId, e.Message);
            return new Dictionary<string, string>();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Components: the custom checkout field values of company {CompanyId} could not be read from Stripe: {Error}")]
        public static partial void FieldValuesFailed(ILogger logger, string companyId, string error);
    }
}

/// <summary>The billing parts of the hydrate answer (<see cref="ComponentBilling"/>).</summary>
internal sealed record ComponentBillingParts(
    ComponentSubscriptionResponse? Subscription, InvoiceResponse? UpcomingInvoice, IReadOnlyList<CheckoutFieldWithValueResponse> CustomCheckoutFields, StripeEmbedResponse? StripeEmbed);

/// <summary>A custom checkout field of the plan group with the company's value (<c>CheckoutFieldWithValue</c>).</summary>
internal sealed record CheckoutFieldWithValueResponse(string DefinitionId, string? HelperText, string Id, string Name, bool Required, string StripeMetadataKey, string? Value);

/// <summary>What the card form needs to know of the Stripe account (<c>StripeEmbedInfo</c>).</summary>
internal sealed record StripeEmbedResponse(string? AccountId, string? PublishableKey, string SchematicPublishableKey, string? SetupIntentClientSecret);
