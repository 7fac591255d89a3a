using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing;

/// <summary>
/// Brings Stripe objects into Tollgate (<see cref="IStripeObjectSync"/>): products and prices become billing products and
/// prices mapped to plans, customers become companies, subscriptions set companies' plans, seats, period and billing
/// state; invoices and Checkout sessions lead to their subscription and customer. Every write goes through the normal
/// write paths with <see cref="StripeActor"/> as the actor, and a sync that changes nothing writes nothing. The import
/// calls the <c>Apply…</c> methods with objects it listed; everything else re-reads the object from Stripe.
/// </summary>
internal sealed partial class StripeObjectSync(
    ResourceStore store,
    BillingCatalogStore billing,
    Meters.BillingMeters meters,
    RuntimeRegistry runtimes,
    CompanyService companies,
    EntityKeys keys,
    StripeCustomerLocks locks,
    CreatedCheckoutSessions createdSessions,
    TimeProvider time,
    ILogger<StripeObjectSync> logger) : IStripeObjectSync
{
    /// <inheritdoc />
    public async Task SyncAsync(StripeConnection connection, string objectType, string objectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        var reader = new StripeReader(connection.Account);
        switch (objectType)
        {
            case StripeObjectTypes.Product:
                await ApplyProductAsync(connection, objectId, await reader.GetProductAsync(objectId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                break;
            case StripeObjectTypes.Price:
                await ApplyPriceAsync(connection, objectId, await reader.GetPriceAsync(objectId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                break;
            case StripeObjectTypes.Customer:
                using (await locks.AcquireAsync(connection.EnvironmentId, objectId, cancellationToken).ConfigureAwait(false))
                {
                    await ApplyCustomerLockedAsync(connection, objectId, await reader.GetCustomerAsync(objectId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                }

                break;
            case StripeObjectTypes.Subscription:
                await SyncSubscriptionAsync(connection, objectId, cancellationToken).ConfigureAwait(false);
                break;
            case StripeObjectTypes.Invoice:
                await SyncInvoiceAsync(connection, objectId, cancellationToken).ConfigureAwait(false);
                break;
            case StripeObjectTypes.CheckoutSession:
                await SyncCheckoutSessionAsync(connection, objectId, cancellationToken).ConfigureAwait(false);
                break;
            case StripeObjectTypes.Meter:
                // A meter created, changed, deactivated or reactivated in Stripe: the meters are read again.
                await meters.RefreshAsync(connection, Scope(connection), cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"Stripe objects of type '{objectType}' are not followed.", nameof(objectType));
        }
    }

    /// <summary>The subscription of an invoice (paid, failed…), and its customer; an invoice without one syncs its customer.</summary>
    private async Task SyncInvoiceAsync(StripeConnection connection, string invoiceId, CancellationToken cancellationToken)
    {
        var invoice = await new StripeReader(connection.Account).GetInvoiceAsync(invoiceId, cancellationToken).ConfigureAwait(false);
        if (invoice?.SubscriptionId is { } subscriptionId)
        {
            await SyncSubscriptionAsync(connection, subscriptionId, cancellationToken).ConfigureAwait(false);
        }
        else if (invoice?.CustomerId is { } customerId)
        {
            await SyncAsync(connection, StripeObjectTypes.Customer, customerId, cancellationToken).ConfigureAwait(false);
        }
    }

    private static RequestScope Scope(StripeConnection connection) => StripeActor.Scope(connection.EnvironmentId);

    private DateTimeOffset Now => time.GetUtcNow();
}
