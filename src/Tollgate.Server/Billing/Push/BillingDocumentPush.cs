using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// Coupons, invoices and payment methods of a billing system, pushed and deleted by their external id
/// (<c>/billing/coupons</c>, <c>/billing/invoices</c>, <c>/billing/payment-methods</c>). They are records for the
/// answers (a company's invoices and payment methods); no plan depends on them.
/// </summary>
internal sealed class BillingDocumentPush(BillingDocuments documents, BillingCustomerLookup customers, TimeProvider time)
{
    private static readonly string[] InvoiceStatuses = ["draft", "open", "paid", "uncollectible", "void"];

    public async Task<BillingCouponRecord> UpsertCouponAsync(RequestScope scope, UpsertBillingCouponRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var externalId = Validate.Required(request.ExternalId, "external_id");
        var name = Validate.Required(request.Name, "name");
        var duration = Validate.OneOf(request.Duration, "duration", ("once", "once"), ("repeating", "repeating"), ("forever", "forever"));
        var amountOff = NonNegative(request.AmountOff, "amount_off");
        var percentOff = request.PercentOff ?? Fail<double>("percent_off", "is required");
        if (percentOff is < 0 or > 100 || double.IsNaN(percentOff))
        {
            Errors.BadRequest("percent_off", "must be between 0 and 100");
        }

        if ((amountOff > 0) == (percentOff > 0))
        {
            Errors.BadRequest("amount_off", "give exactly one of amount_off and percent_off above zero");
        }

        var currency = request.Currency is { Length: > 0 } given ? PushValidation.Currency(given, "currency") : null;
        if (amountOff > 0 && currency is null)
        {
            Errors.BadRequest("currency", "is required with amount_off");
        }

        var months = NonNegative(request.DurationInMonths, "duration_in_months");
        if (duration == "repeating" && months == 0)
        {
            Errors.BadRequest("duration_in_months", "must be at least 1 for a repeating coupon");
        }

        var before = await documents.ByKeyAsync<BillingCouponRecord>(scope.EnvironmentId, ResourceKinds.BillingCoupon, externalId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var after = new BillingCouponRecord
        {
            Id = before?.Id ?? Ids.New("bcpn"),
            ExternalId = externalId,
            Name = name,
            AmountOff = amountOff,
            PercentOff = percentOff,
            Currency = currency,
            Duration = duration,
            DurationInMonths = months,
            MaxRedemptions = NonNegative(request.MaxRedemptions, "max_redemptions"),
            TimesRedeemed = NonNegative(request.TimesRedeemed, "times_redeemed"),
            CreatedAt = before?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        return await documents.SaveAsync(scope, ResourceKinds.BillingCoupon, after.Id, externalId, null, null, before, after, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BillingInvoiceRecord> UpsertInvoiceAsync(RequestScope scope, UpsertInvoiceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var customerId = Validate.Required(request.CustomerExternalId, "customer_external_id");
        var externalId = Validate.Bounded(request.ExternalId, "external_id") is { Length: > 0 } given ? given : null;
        var collection = Validate.Required(request.CollectionMethod, "collection_method");
        var currency = PushValidation.Currency(request.Currency, "currency");
        var status = request.Status is null ? null : Validate.OneOf(request.Status, "status", [.. InvoiceStatuses.Select(s => (s, s))]);
        var before = externalId is null ? null : await documents.ByKeyAsync<BillingInvoiceRecord>(scope.EnvironmentId, ResourceKinds.BillingInvoice, externalId, cancellationToken).ConfigureAwait(false);
        var companyId = await customers.CompanyOfAsync(scope.EnvironmentId, customerId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var after = new BillingInvoiceRecord
        {
            Id = before?.Id ?? Ids.New("binv"),
            ExternalId = externalId,
            CompanyId = companyId,
            CustomerExternalId = customerId,
            SubscriptionExternalId = Validate.Bounded(request.SubscriptionExternalId, "subscription_external_id"),
            PaymentMethodExternalId = Validate.Bounded(request.PaymentMethodExternalId, "payment_method_external_id"),
            CollectionMethod = collection,
            Currency = currency,
            AmountDue = request.AmountDue ?? Fail<long>("amount_due", "is required"),
            AmountPaid = request.AmountPaid ?? Fail<long>("amount_paid", "is required"),
            AmountRemaining = request.AmountRemaining ?? Fail<long>("amount_remaining", "is required"),
            Subtotal = request.Subtotal ?? Fail<long>("subtotal", "is required"),
            StartingBalance = request.StartingBalance ?? 0,
            EndingBalance = request.EndingBalance ?? 0,
            Status = status,
            DueDate = request.DueDate,
            Url = Validate.Bounded(request.Url, "url"),
            CreatedAt = before?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        return await documents.SaveAsync(scope, ResourceKinds.BillingInvoice, after.Id, externalId, companyId, companyId, before, after, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BillingPaymentMethodRecord> UpsertPaymentMethodAsync(RequestScope scope, UpsertPaymentMethodRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var externalId = Validate.Required(request.ExternalId, "external_id");
        var customerId = Validate.Required(request.CustomerExternalId, "customer_external_id");
        var type = Validate.Required(request.PaymentMethodType, "payment_method_type");
        if (request.CardExpMonth is < 1 or > 12)
        {
            Errors.BadRequest("card_exp_month", "must be between 1 and 12");
        }

        var before = await documents.ByKeyAsync<BillingPaymentMethodRecord>(scope.EnvironmentId, ResourceKinds.BillingPaymentMethod, externalId, cancellationToken).ConfigureAwait(false);
        var companyId = await customers.CompanyOfAsync(scope.EnvironmentId, customerId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var after = new BillingPaymentMethodRecord
        {
            Id = before?.Id ?? Ids.New("bpm"),
            ExternalId = externalId,
            CustomerExternalId = customerId,
            CompanyId = companyId,
            PaymentMethodType = type,
            CardBrand = Validate.Bounded(request.CardBrand, "card_brand"),
            CardLast4 = Validate.Bounded(request.CardLast4, "card_last4"),
            CardExpMonth = request.CardExpMonth,
            CardExpYear = request.CardExpYear,
            AccountLast4 = Validate.Bounded(request.AccountLast4, "account_last4"),
            AccountName = Validate.Bounded(request.AccountName, "account_name"),
            BankName = Validate.Bounded(request.BankName, "bank_name"),
            BillingEmail = Validate.Bounded(request.BillingEmail, "billing_email"),
            BillingName = Validate.Bounded(request.BillingName, "billing_name"),
            CreatedAt = before?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        return await documents.SaveAsync(scope, ResourceKinds.BillingPaymentMethod, after.Id, externalId, companyId, companyId, before, after, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a coupon, invoice or payment method by its id or external id; 404 when there is none.</summary>
    public async Task DeleteAsync<T>(RequestScope scope, string kind, string idOrExternalId, Func<T, (string Id, string? CompanyId)> identify, string what, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(identify);
        var found = await documents.FindAsync<T>(scope.EnvironmentId, kind, idOrExternalId, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            Errors.NotFound(what);
        }

        var (id, companyId) = identify(found);
        if (!await documents.DeleteAsync(scope, kind, id, companyId, found, cancellationToken).ConfigureAwait(false))
        {
            Errors.NotFound(what);
        }
    }

    private static long NonNegative(long? value, string field)
    {
        var given = value ?? Fail<long>(field, "is required");
        if (given < 0)
        {
            Errors.BadRequest(field, "must not be negative");
        }

        return given;
    }

    private static T Fail<T>(string field, string problem)
    {
        Errors.BadRequest(field, problem);
        return default!;
    }
}
