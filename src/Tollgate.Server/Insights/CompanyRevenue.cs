using Tollgate.Server.Billing;
using Tollgate.Server.Companies;

namespace Tollgate.Server.Insights;

/// <summary>
/// A company's monthly recurring revenue from the items of the subscription its billing system last showed
/// (<see cref="CompanyBilling"/>): each licensed item's unit amount × quantity, brought to a month (a year is 12 months,
/// a week 52/12 of a month, a day 365/12). Metered and tiered items have no fixed amount and count 0; a subscription that
/// has ended counts nothing. Prices are read through the billing catalog, once per price per refresh.
/// </summary>
internal sealed class CompanyRevenue(BillingCatalogStore catalog)
{
    /// <summary>Reads prices for one batch of companies of one environment, remembering each.</summary>
    public Reader For(string environmentId) => new(catalog, environmentId);

    /// <summary>The prices of one environment, each read once.</summary>
    public sealed class Reader(BillingCatalogStore catalog, string environmentId)
    {
        private readonly Dictionary<string, BillingPriceRecord?> _prices = new(StringComparer.Ordinal);

        /// <summary>The company's MRR in the smallest unit of its currency; null without a live subscription.</summary>
        public async Task<(long Amount, string Currency)?> MonthlyAsync(CompanyRecord company, CancellationToken cancellationToken)
        {
            if (company.Billing is not { SubscriptionId: not null, Items.Count: > 0 } billing
                || billing.Status is "canceled" or "incomplete_expired" or "incomplete")
            {
                return null;
            }

            double amount = 0;
            string? currency = null;
            foreach (var item in billing.Items)
            {
                if (!_prices.TryGetValue(item.PriceId, out var price))
                {
                    _prices[item.PriceId] = price = await catalog.PriceAsync(environmentId, item.PriceId, cancellationToken).ConfigureAwait(false);
                }

                if (price is not { UnitAmount: { } unit, UsageType: not "metered", Interval: { } interval })
                {
                    continue;
                }

                currency ??= price.Currency;
                var perMonth = interval switch
                {
                    "year" => 1.0 / 12,
                    "week" => 52.0 / 12,
                    "day" => 365.0 / 12,
                    _ => 1.0,
                } / Math.Max(price.IntervalCount, 1);
                amount += unit * (item.Quantity ?? 1) * perMonth;
            }

            return currency is null ? null : ((long)Math.Round(Math.Min(amount, long.MaxValue / 2.0)), currency);
        }
    }
}
