using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// Subscriptions pushed from a billing system (<c>POST /billing/subscription/upsert</c>). The company's billing state is
/// written from the push and <see cref="BillingPlans.Apply"/> decides its plans from it — the very path a Stripe
/// subscription takes — so a pushed subscription to a price whose product sells a plan puts the company on that plan
/// (its add-ons, seats and period alike), and an ended one puts it on the fallback plan. Prices the push names that
/// Tollgate does not know yet are stored from the push (their product must be known), as the sync fetches unknown ones.
/// </summary>
internal sealed class BillingSubscriptionPush(
    BillingDocuments documents,
    BillingCatalogStore billing,
    ResourceStore store,
    CompanyService companies,
    BillingCustomerLookup customers,
    StripeConnections connections,
    StripeCustomerLocks locks,
    TimeProvider time)
{
    private static readonly string[] Statuses =
    [
        StripeSubscriptionStatuses.Active, StripeSubscriptionStatuses.Trialing, StripeSubscriptionStatuses.PastDue, StripeSubscriptionStatuses.Canceled,
        StripeSubscriptionStatuses.Unpaid, StripeSubscriptionStatuses.Incomplete, StripeSubscriptionStatuses.IncompleteExpired, StripeSubscriptionStatuses.Paused,
    ];

    /// <summary>An empty billing catalog (an ended subscription maps to no plan).</summary>
    public static readonly BillingCatalog NoCatalog = new(new Dictionary<string, BillingProductRecord>(), new Dictionary<string, BillingPriceRecord>());

    public async Task<BillingSubscriptionRecord> UpsertAsync(RequestScope scope, UpsertBillingSubscriptionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subscriptionId = Validate.Required(request.SubscriptionExternalId, "subscription_external_id");
        var customerId = Validate.Required(request.CustomerExternalId, "customer_external_id");
        var provider = BillingProviders.Of(request.ProviderType);
        var status = request.Status is null ? StripeSubscriptionStatuses.Active : Validate.OneOf(request.Status, "status", [.. Statuses.Select(s => (s, s))]);
        var currency = PushValidation.Currency(request.Currency, "currency");
        var cancelAtPeriodEnd = request.CancelAtPeriodEnd ?? Fail<bool>("cancel_at_period_end", "is required");
        var totalPrice = request.TotalPrice ?? Fail<long>("total_price", "is required");
        var expiredAt = request.ExpiredAt ?? Fail<DateTimeOffset>("expired_at", "is required");
        var trialEndSetting = request.TrialEndSetting is null ? null : Validate.OneOf(request.TrialEndSetting, "trial_end_setting", ("cancel", "cancel"), ("subscribe", "subscribe"));
        var periodStart = PushValidation.Seconds(request.PeriodStart, "period_start");
        var periodEnd = PushValidation.Seconds(request.PeriodEnd, "period_end");
        if (periodStart is { } start && periodEnd is { } end && end <= start)
        {
            Errors.BadRequest("period_end", "must be after period_start");
        }

        var discounts = Discounts(request.Discounts);
        var pricings = request.ProductExternalIds ?? throw new RequestException(StatusCodes.Status400BadRequest, "product_external_ids: is required (an empty list for none)");
        var companyId = await CompanyOfAsync(scope.EnvironmentId, request.CompanyId, customerId, cancellationToken).ConfigureAwait(false);

        using (await locks.AcquireAsync(scope.EnvironmentId, customerId, cancellationToken).ConfigureAwait(false))
        {
            var items = await ItemsAsync(scope, provider, subscriptionId, pricings, cancellationToken).ConfigureAwait(false);
            var before = await documents.ByKeyAsync<BillingSubscriptionRecord>(scope.EnvironmentId, ResourceKinds.BillingSubscription, subscriptionId, cancellationToken).ConfigureAwait(false);
            PushedProvider.EnsureSame(before?.ProviderType, provider, "subscription");

            var now = time.GetUtcNow();
            var after = new BillingSubscriptionRecord
            {
                Id = before?.Id ?? Ids.New("bsub"),
                ExternalId = subscriptionId,
                CompanyId = companyId,
                CustomerExternalId = customerId,
                ProviderType = provider,
                Status = status,
                Currency = currency,
                Interval = Validate.Bounded(request.Interval, "interval") ?? "",
                TotalPrice = totalPrice,
                PeriodStart = periodStart,
                PeriodEnd = periodEnd,
                TrialEnd = PushValidation.Seconds(request.TrialEnd, "trial_end"),
                TrialEndSetting = trialEndSetting,
                CancelAt = PushValidation.Seconds(request.CancelAt, "cancel_at"),
                CancelAtPeriodEnd = cancelAtPeriodEnd,
                ExpiredAt = expiredAt,
                StartedAt = request.StartedAt,
                ApplicationId = Validate.Bounded(request.ApplicationId, "application_id"),
                DefaultPaymentMethodId = Validate.Bounded(request.DefaultPaymentMethodId ?? request.DefaultPaymentMethodExternalId, "default_payment_method_id"),
                Metadata = request.Metadata,
                Discounts = discounts,
                CreatedAt = before?.CreatedAt ?? now,
                UpdatedAt = now,
            };
            await documents.SaveAsync(scope, ResourceKinds.BillingSubscription, after.Id, subscriptionId, companyId, companyId, before, after, cancellationToken).ConfigureAwait(false);

            var state = new CompanyBilling
            {
                CustomerId = customerId,
                Provider = provider == BillingProviders.Stripe ? null : provider,
                SubscriptionId = subscriptionId,
                Status = status,
                Items = items,
                TrialEnd = after.TrialEnd,
                CancelAtPeriodEnd = cancelAtPeriodEnd,
                CancelAt = after.CancelAt,
                PeriodStart = periodStart,
                PeriodEnd = periodEnd,
                SyncedAt = now,
            };
            var billingCatalog = await CatalogOfAsync(scope.EnvironmentId, items, cancellationToken).ConfigureAwait(false);
            var settings = (await connections.GetAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false))?.Settings ?? new StripeSettings();
            await companies.WriteSyncedAsync(
                scope,
                companyId,
                (catalog, company, at) => company is null || FollowsAnother(company.Billing, state) ? null : BillingPlans.Apply(catalog, settings, company, state with { SyncedAt = at, CanceledAt = CanceledAt(company.Billing, state, at) }, null, billingCatalog, at),
                cancellationToken).ConfigureAwait(false);
            return after;
        }
    }

    /// <summary>
    /// As the sync follows the newest subscription that has not ended: an ended push does not take a company off another
    /// live subscription of its customer.
    /// </summary>
    private static bool FollowsAnother(CompanyBilling? current, CompanyBilling pushed) =>
        current?.SubscriptionId is { } followed && followed != pushed.SubscriptionId
        && current.Status is { } status && !StripeSubscriptionStatuses.IsEnded(status)
        && StripeSubscriptionStatuses.IsEnded(pushed.Status!);

    /// <summary>When an ended subscription was canceled: when Tollgate first saw it ended.</summary>
    private static DateTimeOffset? CanceledAt(CompanyBilling? current, CompanyBilling pushed, DateTimeOffset now) =>
        !StripeSubscriptionStatuses.IsEnded(pushed.Status!) ? null
        : current?.SubscriptionId == pushed.SubscriptionId && current?.CanceledAt is { } known ? known
        : now;

    /// <summary>The company: the one named, else the customer's (pushed customer, or the company keyed by the Stripe customer id).</summary>
    private async Task<string> CompanyOfAsync(string environmentId, string? named, string customerId, CancellationToken cancellationToken)
    {
        if (named is not null)
        {
            return await store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, named, cancellationToken).ConfigureAwait(false) is null
                ? throw new RequestException(StatusCodes.Status400BadRequest, "company_id: no company has this id")
                : named;
        }

        return await customers.CompanyOfAsync(environmentId, customerId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status400BadRequest, "company_id: is required: the customer is linked to no company (POST /billing/customer/upsert with company_id)");
    }

    /// <summary>The subscription's items; prices not known yet are stored from the push.</summary>
    private async Task<IReadOnlyList<CompanyBillingItem>> ItemsAsync(
        RequestScope scope, string provider, string subscriptionId, IReadOnlyList<BillingProductPricingRequest?> pricings, CancellationToken cancellationToken)
    {
        var items = new List<CompanyBillingItem>(pricings.Count);
        for (var i = 0; i < pricings.Count; i++)
        {
            var field = $"product_external_ids[{i}]";
            var pricing = pricings[i] ?? throw new RequestException(StatusCodes.Status400BadRequest, $"{field}: must be an object");
            var priceId = Validate.Required(pricing.PriceExternalId, $"{field}.price_external_id");
            var productId = Validate.Required(pricing.ProductExternalId, $"{field}.product_external_id");
            var quantity = pricing.Quantity ?? Fail<long>($"{field}.quantity", "is required");
            if (quantity < 0)
            {
                Errors.BadRequest($"{field}.quantity", "must not be negative");
            }

            if (await billing.ProductAsync(scope.EnvironmentId, productId, cancellationToken).ConfigureAwait(false) is not { Deleted: false })
            {
                Errors.BadRequest($"{field}.product_external_id", "no billing product has this external id (POST /billing/product/upsert first)");
            }

            var price = await billing.PriceAsync(scope.EnvironmentId, priceId, cancellationToken).ConfigureAwait(false);
            if (price is not null && price.ProductId != productId)
            {
                Errors.BadRequest($"{field}.price_external_id", $"the price belongs to billing product {price.ProductId}");
            }

            if (price is null)
            {
                var now = time.GetUtcNow();
                await billing.SaveAsync(scope, null, new BillingPriceRecord
                {
                    Id = priceId,
                    ProductId = productId,
                    Currency = PushValidation.Currency(pricing.Currency, $"{field}.currency"),
                    UnitAmount = pricing.Price ?? Fail<long>($"{field}.price", "is required"),
                    Interval = PushValidation.Interval(pricing.Interval, $"{field}.interval"),
                    UsageType = Validate.OneOf(pricing.UsageType, $"{field}.usage_type", ("licensed", "licensed"), ("metered", "metered")),
                    MeterId = pricing.MeterId,
                    PackageSize = pricing.PackageSize is > 0 ? pricing.PackageSize.Value : 1,
                    PriceDecimal = Validate.Bounded(pricing.PriceDecimal, $"{field}.price_decimal"),
                    ProviderType = provider,
                    CreatedAt = now,
                    UpdatedAt = now,
                }, cancellationToken, $"{field}.price_external_id").ConfigureAwait(false);
            }

            var itemId = Validate.Bounded(pricing.SubscriptionItemExternalId, $"{field}.subscription_item_external_id") is { Length: > 0 } given ? given : $"{subscriptionId}/{priceId}";
            items.Add(new CompanyBillingItem(itemId, priceId, productId, quantity));
        }

        return items;
    }

    private async Task<BillingCatalog> CatalogOfAsync(string environmentId, IReadOnlyList<CompanyBillingItem> items, CancellationToken cancellationToken)
    {
        var products = await store.GetManyAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, [.. items.Select(i => i.ProductId).Distinct()], cancellationToken).ConfigureAwait(false);
        var prices = await store.GetManyAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, [.. items.Select(i => i.PriceId).Distinct()], cancellationToken).ConfigureAwait(false);
        return new BillingCatalog(products.ToDictionary(p => p.Id, StringComparer.Ordinal), prices.ToDictionary(p => p.Id, StringComparer.Ordinal));
    }

    private static List<BillingSubscriptionDiscountRecord> Discounts(IReadOnlyList<BillingSubscriptionDiscountRequest?>? given)
    {
        if (given is null)
        {
            Errors.BadRequest("discounts", "is required (an empty list for none)");
        }

        var discounts = new List<BillingSubscriptionDiscountRecord>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            var field = $"discounts[{i}]";
            var discount = given[i] ?? throw new RequestException(StatusCodes.Status400BadRequest, $"{field}: must be an object");
            discounts.Add(new BillingSubscriptionDiscountRecord(
                Validate.Required(discount.ExternalId, $"{field}.external_id"),
                Validate.Required(discount.CouponExternalId, $"{field}.coupon_external_id"),
                Validate.Bounded(discount.CustomerFacingCode, $"{field}.customer_facing_code"),
                Validate.Bounded(discount.PromoCodeExternalId, $"{field}.promo_code_external_id"),
                discount.IsActive ?? Fail<bool>($"{field}.is_active", "is required"),
                discount.StartedAt ?? Fail<DateTimeOffset>($"{field}.started_at", "is required"),
                discount.EndedAt));
        }

        return discounts;
    }

    private static T Fail<T>(string field, string problem)
    {
        Errors.BadRequest(field, problem);
        return default!;
    }
}
