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
        var prices = await CompanyBillingPrices.ReadAsync(store, scope.EnvironmentId, [company], cancellationToken).ConfigureAwait(false);
        var subscription = ComponentSubscriptionResponse.Of(company, scope.EnvironmentId, prices.Prices, prices.Products);
        var metadata = await values.ConfigureAwait(false);
        return new ComponentBillingParts(
            subscription,
            await upcoming.ConfigureAwait(false),
            [.. group.CustomCheckoutFields.Select(f => new CheckoutFieldWithValueResponse(
                f.DefinitionId ?? f.Id, f.HelperText, f.Id, f.Name, f.Required, f.StripeMetadataKey, metadata.GetValueOrDefault(f.StripeMetadataKey) is { Length: > 0 } value ? value : null))],

            StripeEmbedResponse.Of(connection),
            prices);
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
    ComponentSubscriptionResponse? Subscription,
    InvoiceResponse? UpcomingInvoice,
    IReadOnlyList<CheckoutFieldWithValueResponse> CustomCheckoutFields,
    StripeEmbedResponse? StripeEmbed,
    CompanyBillingPrices Prices);

/// <summary>A custom checkout field of the plan group with the company's value (<c>CheckoutFieldWithValue</c>).</summary>
internal sealed record CheckoutFieldWithValueResponse(string DefinitionId, string? HelperText, string Id, string Name, bool Required, string StripeMetadataKey, string? Value);

/// <summary>
/// What the card form needs to know of the Stripe account (<c>StripeEmbedInfo</c>). The components load Stripe.js with
/// <c>publishable_key</c>, unless <c>account_id</c> is set: then with <c>schematic_publishable_key</c> on behalf of that
/// account (Schematic's Stripe Connect platform). Tollgate holds the account's own keys, not a platform's, so with the
/// publishable key of the connection's settings (<c>publishable_key</c>) it answers that key in both fields and no
/// account; without one it answers the account alone and an empty key, and the card form cannot load. No setup intent
/// is created on a read: the components ask for one (<c>POST /components/setup-intent</c>) when the card form opens.
/// </summary>
internal sealed record StripeEmbedResponse(string? AccountId, string? PublishableKey, string SchematicPublishableKey, string? SetupIntentClientSecret)
{
    public static StripeEmbedResponse? Of(StripeConnection? connection) => connection switch
    {
        null => null,
        { Settings.PublishableKey: { } key } => new(null, key, key, null),
        _ => new(connection.AccountId, null, string.Empty, null),
    };
}
