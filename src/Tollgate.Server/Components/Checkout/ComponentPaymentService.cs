using Tollgate.Server.Api;
using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Outbound;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Lifecycle;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Components.Checkout;

/// <summary>
/// The rest of the components' billing routes for one company: setup intents for the card form, the payment method
/// charged, the customer's balance, custom checkout field values, and unsubscribing (the subscription ends at the
/// period's end, through the subscription change service). Stripe.js itself confirms cards in the browser.
/// </summary>
internal sealed class ComponentPaymentService(
    StripeConnections connections, ResourceStore store, StripeCustomerLink customers, StripeSubscriptionChangeService changes, TimeProvider time)
{
    public async Task<SetupIntentResponseData> CreateSetupIntentAsync(RequestScope scope, string companyId, CancellationToken cancellationToken)
    {
        var (company, connection) = await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        var customerId = await CallAsync(() => customers.EnsureAsync(connection, company, cancellationToken)).ConfigureAwait(false);
        var intent = await CallAsync(() => new StripeComponentBilling(connection.Account).CreateSetupIntentAsync(customerId, cancellationToken)).ConfigureAwait(false);

        // Tollgate keeps no Stripe publishable key and hands out no publishable key of its own here: the embedding page
        // already has both (it loads Stripe.js with its own key).
        var embed = StripeEmbedResponse.Of(connection)!;
        return new SetupIntentResponseData(embed.AccountId, embed.PublishableKey, embed.SchematicPublishableKey, intent.ClientSecret);
    }

    public async Task<PaymentMethodResponseData> UpdatePaymentMethodAsync(RequestScope scope, string companyId, UpdatePaymentMethodRequestBody? body, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            Errors.BadRequest("body", "is required");
        }

        var paymentMethodId = Validate.Required(body.PaymentMethodId, "payment_method_id");
        var (company, connection) = await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        var customerId = await CallAsync(() => customers.EnsureAsync(connection, company, cancellationToken)).ConfigureAwait(false);
        var billing = new StripeComponentBilling(connection.Account);
        var existing = await CallAsync(() => billing.GetPaymentMethodAsync(paymentMethodId, cancellationToken)).ConfigureAwait(false);
        if (existing is null || (existing.CustomerId is { } owner && owner != customerId))
        {
            // Another customer's card reads as unknown: a company learns nothing of others' payment methods.
            Errors.BadRequest("payment_method_id", "must name a payment method saved for this company");
        }

        var live = company.Billing is { SubscriptionId: { } sub, Status: not ("canceled" or "incomplete_expired") } ? sub : null;
        var method = await CallAsync(() => billing.SetDefaultPaymentMethodAsync(customerId, paymentMethodId, live, cancellationToken)).ConfigureAwait(false);
        return Describe(scope, company.Id, customerId, method);
    }

    public async Task<DeleteResult> DeletePaymentMethodAsync(RequestScope scope, string companyId, string paymentMethodId, CancellationToken cancellationToken)
    {
        var (company, connection) = await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        var billing = new StripeComponentBilling(connection.Account);
        var method = await CallAsync(() => billing.GetPaymentMethodAsync(paymentMethodId, cancellationToken)).ConfigureAwait(false);
        if (method?.CustomerId is null || method.CustomerId != StripeCustomerLink.Existing(company))
        {
            Errors.NotFound("payment method");
        }

        await CallAsync(async () =>
        {
            await billing.DetachPaymentMethodAsync(paymentMethodId, cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        return new DeleteResult(true);
    }

    public async Task<CompanyCustomerBalance> BalanceAsync(RequestScope scope, string companyId, CancellationToken cancellationToken)
    {
        var (company, connection) = await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        if (StripeCustomerLink.Existing(company) is not { } customerId)
        {
            return new CompanyCustomerBalance([]);
        }

        var balance = await CallAsync(() => new StripeComponentBilling(connection.Account).GetBalanceAsync(customerId, cancellationToken)).ConfigureAwait(false);

        // A customer never billed has no currency yet, and so no balance to show.
        return balance is { Currency: { } currency }
            ? new CompanyCustomerBalance([new CurrencyBalance(balance.Balance, currency)])
            : new CompanyCustomerBalance([]);
    }

    public async Task<UpdateCheckoutFieldValuesResponseData> UpdateFieldValuesAsync(
        RequestScope scope, string companyId, UpdateCheckoutFieldValuesRequestBody? body, CancellationToken cancellationToken)
    {
        var values = body?.Values ?? throw new RequestException(StatusCodes.Status400BadRequest, "values: is required");

        var group = await PlanGroupStore.GetAsync(store, scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (value, i) in values.Select((v, i) => (v, i)))
        {
            var field = group?.CustomCheckoutFields.FirstOrDefault(f => f.Id == value?.Id);
            if (field is null)
            {
                Errors.BadRequest($"values[{i}].id", "must name a custom checkout field of the plan group");
            }

            if (value!.Value is { Length: > 500 })
            {
                Errors.BadRequest($"values[{i}].value", "must be at most 500 characters (Stripe's metadata limit)");
            }

            metadata[field.StripeMetadataKey] = value.Value ?? string.Empty;
        }

        var (company, connection) = await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        var customerId = await CallAsync(() => customers.EnsureAsync(connection, company, cancellationToken)).ConfigureAwait(false);
        await CallAsync(async () =>
        {
            await new StripeComponentBilling(connection.Account).UpdateCustomerMetadataAsync(customerId, metadata, cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        return new UpdateCheckoutFieldValuesResponseData(null);
    }

    /// <summary>Ends the company's subscription at the end of its period (what it paid for runs out; no refund).</summary>
    public async Task<DeleteResult> UnsubscribeAsync(RequestScope scope, string companyId, CancellationToken cancellationToken)
    {
        var (company, _) = await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        if (company.Billing is not { SubscriptionId: not null, Status: not ("canceled" or "incomplete_expired") })
        {
            Errors.Conflict("company", "the company has no live Stripe subscription to end");
        }

        await changes.ChangeAsync(scope, new SubscriptionChangeRequest(company.Id, null, null, null, null, Tollgate.Stripe.ProrationBehaviors.None, true), cancellationToken).ConfigureAwait(false);
        return new DeleteResult(true);
    }

    private async Task<(CompanyRecord Company, StripeConnection Connection)> CompanyAsync(RequestScope scope, string companyId, CancellationToken cancellationToken)
    {
        var company = await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
        if (company.Billing?.Provider is { } provider)
        {
            Errors.Conflict("company", $"the company is billed by {provider}, not Stripe");
        }

        return (company, await connections.RequireAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false));
    }

    private PaymentMethodResponseData Describe(RequestScope scope, string companyId, string customerId, StripePaymentMethodInfo method)
    {
        var now = time.GetUtcNow();
        return new PaymentMethodResponseData(
            null, null, null, method.BillingEmail, method.BillingName, method.CardBrand, method.CardExpMonth, method.CardExpYear, method.CardLast4, companyId, method.Created,
            customerId, scope.EnvironmentId, method.Id, method.Id, method.Type, BillingProviders.Stripe, now);
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (StripeCallException e)
        {
            throw OutboundFailures.From(e, param => param is "payment_method" or "customer" or "invoice_settings[default_payment_method]" ? "payment_method_id" : null);
        }
    }
}
