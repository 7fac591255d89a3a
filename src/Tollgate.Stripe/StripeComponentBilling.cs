using Stripe;

namespace Tollgate.Stripe;

/// <summary>
/// The Stripe calls behind Schematic's checkout components: the invoice a change would produce (Stripe prorates, not
/// Tollgate), new subscriptions bought with a saved card, setup intents for the card form, payment methods and the
/// customer's balance. Not keyed by content: each call is one buyer's action and Stripe.net's own key covers its retries.
/// </summary>
public sealed class StripeComponentBilling(StripeAccount account)
{
    private readonly StripeClient _client = (account ?? throw new ArgumentNullException(nameof(account))).Client;

    /// <summary>The invoice Stripe would make for <paramref name="preview"/> (<c>POST /v1/invoices/create_preview</c>).</summary>
    public Task<StripeInvoicePreview> PreviewAsync(InvoicePreviewRequest preview, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var options = new InvoiceCreatePreviewOptions
        {
            Customer = preview.CustomerId,
            Subscription = preview.SubscriptionId,
            SubscriptionDetails = new InvoiceSubscriptionDetailsOptions
            {
                Items = [.. preview.Items.Select(i => new InvoiceSubscriptionDetailsItemOptions { Id = i.ItemId, Price = i.PriceId, Quantity = i.Quantity, Deleted = i.Deleted ? true : null })],
                ProrationBehavior = preview.SubscriptionId is null ? null : preview.ProrationBehavior,
                ProrationDate = preview.ProrationDate?.UtcDateTime,
            },
        };
        return StripeCallException.Wrap(async () =>
        {
            var invoice = await _client.V1.Invoices.CreatePreviewAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new StripeInvoicePreview(
                invoice.Currency,
                invoice.AmountDue,
                invoice.Total,
                Utc(invoice.PeriodStart),
                Utc(invoice.PeriodEnd),
                [.. (invoice.Lines?.Data ?? []).Select(l => new StripeInvoicePreviewLine(
                    l.Amount, l.Description, l.Pricing?.PriceDetails?.PriceId, l.Parent?.SubscriptionItemDetails?.Proration == true, l.Quantity ?? 0))]);
        });
    }

    /// <summary>Starts a subscription for a customer (charged to its default or the given payment method).</summary>
    public Task<StripeSubscriptionInfo> CreateSubscriptionAsync(NewStripeSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var options = new SubscriptionCreateOptions
        {
            Customer = subscription.CustomerId,
            Items = [.. subscription.Items.Select(i => new SubscriptionItemOptions { Price = i.PriceId, Quantity = i.Quantity })],
            DefaultPaymentMethod = subscription.PaymentMethodId,
            TrialPeriodDays = subscription.TrialDays,
            Metadata = new Dictionary<string, string>(subscription.Metadata, StringComparer.Ordinal),
        };
        return StripeCallException.Wrap(async () =>
        {
            var created = await _client.V1.Subscriptions.CreateAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new StripeSubscriptionInfo(
                created.Id, created.CustomerId, created.Status, created.CancelAtPeriodEnd, created.CancelAt is { } at ? Utc(at) : null,
                [.. (created.Items?.Data ?? []).Select(i => new StripeSubscriptionItemInfo(i.Id, i.Price?.Id ?? string.Empty, i.Price?.ProductId, i.Quantity))]);
        });
    }

    /// <summary>A setup intent for saving a card to the customer off-session.</summary>
    public Task<StripeSetupIntentInfo> CreateSetupIntentAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        var options = new SetupIntentCreateOptions { Customer = customerId, Usage = "off_session" };
        return StripeCallException.Wrap(async () =>
        {
            var intent = await _client.V1.SetupIntents.CreateAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new StripeSetupIntentInfo(intent.Id, intent.ClientSecret, intent.Status);
        });
    }

    /// <summary>
    /// Makes <paramref name="paymentMethodId"/> the customer's default for invoices (attaching it first when it is not
    /// the customer's yet) and, when given, the subscription's default.
    /// </summary>
    public Task<StripePaymentMethodInfo> SetDefaultPaymentMethodAsync(string customerId, string paymentMethodId, string? subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentMethodId);
        return StripeCallException.Wrap(async () =>
        {
            var method = await _client.V1.PaymentMethods.GetAsync(paymentMethodId, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (method.CustomerId != customerId)
            {
                method = await _client.V1.PaymentMethods.AttachAsync(paymentMethodId, new PaymentMethodAttachOptions { Customer = customerId }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await _client.V1.Customers.UpdateAsync(
                customerId,
                new CustomerUpdateOptions { InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = method.Id } },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (subscriptionId is not null)
            {
                await _client.V1.Subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { DefaultPaymentMethod = method.Id }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return Map(method);
        });
    }

    /// <summary>A payment method, or null when Stripe has none with the id.</summary>
    public Task<StripePaymentMethodInfo?> GetPaymentMethodAsync(string paymentMethodId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentMethodId);
        return StripeCallException.Wrap(async () =>
        {
            try
            {
                return Map(await _client.V1.PaymentMethods.GetAsync(paymentMethodId, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
            catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return (StripePaymentMethodInfo?)null;
            }
        });
    }

    /// <summary>Detaches a payment method from its customer.</summary>
    public Task DetachPaymentMethodAsync(string paymentMethodId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentMethodId);
        return StripeCallException.Wrap(async () => await _client.V1.PaymentMethods.DetachAsync(paymentMethodId, cancellationToken: cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The customer's balance (negative: credit the customer has) and its currency, or null when deleted.</summary>
    public Task<StripeCustomerBalance?> GetBalanceAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return StripeCallException.Wrap(async () =>
        {
            var customer = await _client.V1.Customers.GetAsync(customerId, cancellationToken: cancellationToken).ConfigureAwait(false);
            return customer.Deleted == true ? null : new StripeCustomerBalance(customer.Balance, customer.Currency, customer.InvoiceSettings?.DefaultPaymentMethodId);
        });
    }

    /// <summary>Merges <paramref name="metadata"/> into the customer's metadata (an empty value removes a key).</summary>
    public Task UpdateCustomerMetadataAsync(string customerId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentNullException.ThrowIfNull(metadata);
        var options = new CustomerUpdateOptions { Metadata = new Dictionary<string, string>(metadata, StringComparer.Ordinal) };
        return StripeCallException.Wrap(async () => await _client.V1.Customers.UpdateAsync(customerId, options, cancellationToken: cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The customer's invoices, newest first, at most <paramref name="max"/> (Stripe pages by cursor; the components
    /// page by offset, so the caller pages what this returns).
    /// </summary>
    public Task<IReadOnlyList<StripeInvoiceInfo>> ListInvoicesAsync(string customerId, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var options = new InvoiceListOptions { Customer = customerId, Limit = Math.Min(max, 100) };
        return StripeCallException.Wrap(async () =>
        {
            var found = new List<StripeInvoiceInfo>();
            await foreach (var invoice in _client.V1.Invoices.ListAutoPagingAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                found.Add(MapInvoice(invoice));
                if (found.Count == max)
                {
                    break;
                }
            }

            return (IReadOnlyList<StripeInvoiceInfo>)found;
        });
    }

    /// <summary>
    /// The next invoice of the customer's subscription as Stripe would make it now (<c>POST /v1/invoices/create_preview</c>
    /// with no change), or null when Stripe says there is none (<c>invoice_upcoming_none</c>: ended, or nothing to bill).
    /// </summary>
    public Task<StripeInvoiceInfo?> UpcomingInvoiceAsync(string customerId, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        var options = new InvoiceCreatePreviewOptions { Customer = customerId, Subscription = subscriptionId };
        return StripeCallException.Wrap(async () =>
        {
            try
            {
                return MapInvoice(await _client.V1.Invoices.CreatePreviewAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
            catch (StripeException e) when (e.StripeError?.Code == "invoice_upcoming_none")
            {
                return (StripeInvoiceInfo?)null;
            }
        });
    }

    /// <summary>The customer's metadata (where the custom checkout field values are kept), or null when it is deleted.</summary>
    public Task<IReadOnlyDictionary<string, string>?> GetCustomerMetadataAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return StripeCallException.Wrap(async () =>
        {
            var customer = await _client.V1.Customers.GetAsync(customerId, cancellationToken: cancellationToken).ConfigureAwait(false);
            return customer.Deleted == true ? null : (IReadOnlyDictionary<string, string>?)new Dictionary<string, string>(customer.Metadata ?? [], StringComparer.Ordinal);
        });
    }

    private static StripeInvoiceInfo MapInvoice(Invoice invoice) => new(
        invoice.Id,
        invoice.CustomerId,
        invoice.Parent?.SubscriptionDetails?.SubscriptionId,
        invoice.DefaultPaymentMethodId,
        invoice.CollectionMethod,
        invoice.Currency,
        invoice.AmountDue,
        invoice.AmountPaid,
        invoice.AmountRemaining,
        invoice.Subtotal,
        invoice.Total,
        invoice.StartingBalance,
        invoice.EndingBalance,
        invoice.Status,
        invoice.DueDate is { } due ? Utc(due) : null,
        invoice.NextPaymentAttempt is { } next ? Utc(next) : null,
        invoice.HostedInvoiceUrl,
        Utc(invoice.Created));

    private static StripePaymentMethodInfo Map(PaymentMethod method) => new(
        method.Id, method.CustomerId, method.Type, method.Card?.Brand, method.Card?.Last4, method.Card?.ExpMonth, method.Card?.ExpYear,
        method.BillingDetails?.Name, method.BillingDetails?.Email, Utc(method.Created));

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
