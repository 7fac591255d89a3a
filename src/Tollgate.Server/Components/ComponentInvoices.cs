using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Outbound;
using Tollgate.Server.Billing.Push;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Stripe;

namespace Tollgate.Server.Components;

/// <summary>
/// A company's invoices as the components and the browser SDK show them, read from Stripe each time (Tollgate keeps no
/// copy of Stripe's invoices): the next one of its subscription, and those already made. A company Stripe does not bill
/// (no connection, no customer yet, or billed by another provider) has none: an empty list and no upcoming invoice,
/// never an error.
/// </summary>
internal sealed partial class ComponentInvoices(StripeConnections connections, ILogger<ComponentInvoices> logger)
{
    /// <summary>The most invoices read for one answer: the components page by offset, Stripe by cursor.</summary>
    public const int MaxInvoices = Requests.Paging.MaxLimit;

    /// <summary>The next invoice of the company's live subscription, or null when it has none. A Stripe failure is a 502.</summary>
    public async Task<InvoiceResponse?> UpcomingAsync(RequestScope scope, CompanyRecord company, CancellationToken cancellationToken)
    {
        try
        {
            return await UpcomingOrThrowAsync(scope, company, cancellationToken).ConfigureAwait(false);
        }
        catch (StripeCallException e)
        {
            throw OutboundFailures.From(e, _ => null);
        }
    }

    /// <summary>
    /// The next invoice for the hydrate answer: a Stripe failure leaves it out (logged) rather than failing the whole
    /// portal, and the component asks again through its own route.
    /// </summary>
    public async Task<InvoiceResponse?> TryUpcomingAsync(RequestScope scope, CompanyRecord company, CancellationToken cancellationToken)
    {
        try
        {
            return await UpcomingOrThrowAsync(scope, company, cancellationToken).ConfigureAwait(false);
        }
        catch (StripeCallException e)
        {
            Log.UpcomingInvoiceFailed(logger, company.Id, e.Message);
            return null;
        }
    }

    /// <summary>The company's invoices, newest first (at most <see cref="MaxInvoices"/>). A Stripe failure is a 502.</summary>
    public async Task<IReadOnlyList<InvoiceResponse>> ListAsync(RequestScope scope, CompanyRecord company, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(company);
        if (await StripeCustomerAsync(scope, company, cancellationToken).ConfigureAwait(false) is not ({ } connection, { } customerId))
        {
            return [];
        }

        try
        {
            var invoices = await new StripeComponentBilling(connection.Account).ListInvoicesAsync(customerId, MaxInvoices, cancellationToken).ConfigureAwait(false);
            return [.. invoices.Select(i => Describe(scope, company, i, null))];
        }
        catch (StripeCallException e)
        {
            throw OutboundFailures.From(e, _ => null);
        }
    }

    private async Task<InvoiceResponse?> UpcomingOrThrowAsync(RequestScope scope, CompanyRecord company, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(company);

        // Only a live subscription has a next invoice; asking Stripe about an ended one is an error there.
        if (company.Billing is not { SubscriptionId: { } subscriptionId, Status: var status } billing || StripeSubscriptionStatuses.IsEnded(status ?? string.Empty)
            || await StripeCustomerAsync(scope, company, cancellationToken).ConfigureAwait(false) is not ({ } connection, { } customerId))
        {
            return null;
        }

        var invoice = await new StripeComponentBilling(connection.Account).UpcomingInvoiceAsync(customerId, subscriptionId, cancellationToken).ConfigureAwait(false);
        return invoice is null ? null : Describe(scope, company, invoice, billing.PeriodEnd);
    }

    private async Task<(StripeConnection? Connection, string? CustomerId)> StripeCustomerAsync(RequestScope scope, CompanyRecord company, CancellationToken cancellationToken)
    {
        // A company billed by another provider (pushed through /billing/*) has no Stripe customer of its own here.
        if (company.Billing is { Provider: not null } || StripeCustomerLink.Existing(company) is not { } customerId)
        {
            return (null, null);
        }

        var connection = await connections.GetAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        return connection is null ? (null, null) : (connection, customerId);
    }

    /// <summary>
    /// Schematic's <c>InvoiceResponseData</c>. The due date is Stripe's (invoices sent for payment), else its next
    /// charge attempt, else (a previewed invoice) the end of the current period, when the subscription renews. A
    /// previewed invoice has no ending balance yet: it is what Stripe will leave after applying the customer's credit.
    /// </summary>
    private static InvoiceResponse Describe(RequestScope scope, CompanyRecord company, StripeInvoiceInfo invoice, DateTimeOffset? renewsAt)
    {
        var ending = invoice.EndingBalance ?? (invoice.StartingBalance < 0 ? Math.Min(0, invoice.StartingBalance + invoice.Total) : 0);
        return new InvoiceResponse(
            invoice.Id ?? $"upcoming_{company.Id}", invoice.Id, scope.EnvironmentId, company.Id, invoice.CustomerId, invoice.SubscriptionId, invoice.PaymentMethodId,
            invoice.CollectionMethod ?? "charge_automatically", invoice.Currency, invoice.AmountDue, invoice.AmountPaid, invoice.AmountRemaining, invoice.Subtotal,
            invoice.StartingBalance, ending, invoice.Status, invoice.DueDate ?? invoice.NextPaymentAttempt ?? renewsAt, invoice.HostedInvoiceUrl, BillingProviders.Stripe,
            invoice.Created, invoice.Created);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Components: the upcoming invoice of company {CompanyId} could not be read from Stripe: {Error}")]
        public static partial void UpcomingInvoiceFailed(ILogger logger, string companyId, string error);
    }
}
