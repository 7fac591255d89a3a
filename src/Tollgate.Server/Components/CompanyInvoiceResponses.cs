using Tollgate.Server.Billing.Push;

namespace Tollgate.Server.Components;

/// <summary>
/// <c>GET /company/invoices</c> of the browser SDK (<c>CompanyInvoicesResponseData</c> of <c>@schematichq/schematic-js</c>):
/// one page of the company's invoices and how many match the query.
/// </summary>
internal sealed record CompanyInvoicesResponse(long Count, IReadOnlyList<CompanyInvoiceResponse> Invoices)
{
    /// <summary>
    /// The page of <paramref name="all"/> (newest first) the SDK asked for. Drafts and voided invoices are never shown;
    /// an open invoice whose due date has not come is pending, shown only when <paramref name="includePending"/>.
    /// </summary>
    public static CompanyInvoicesResponse Page(IReadOnlyList<InvoiceResponse> all, bool includePending, Requests.Paging paging, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(all);
        var shown = all.Where(i => i.Status is not ("draft" or "void") && (includePending || !(i.Status == "open" && i.DueDate > now))).ToList();
        return new(shown.Count, [.. shown.Skip(paging.Offset).Take(paging.Limit).Select(CompanyInvoiceResponse.From)]);
    }
}

/// <summary>One invoice as the browser SDK lists it (<c>CompanyInvoiceResponseData</c>).</summary>
internal sealed record CompanyInvoiceResponse(long AmountDue, DateTimeOffset CreatedAt, string Currency, DateTimeOffset? DueDate, string Id, string? Status, string? Url)
{
    public static CompanyInvoiceResponse From(InvoiceResponse invoice) =>
        new(invoice.AmountDue, invoice.CreatedAt, invoice.Currency, invoice.DueDate, invoice.ExternalId ?? invoice.Id, invoice.Status, invoice.Url);
}

/// <summary>
/// <c>GET /company/upcoming-invoice</c> of the browser SDK (<c>CompanyUpcomingInvoiceResponseData</c>): the next bill, and
/// how much of the customer's credit it uses (<c>customer_balance_applied</c>) and leaves (<c>customer_balance_remaining</c>),
/// both as positive amounts. Tollgate applies no coupons, so <c>discounts</c> is empty.
/// </summary>
internal sealed record CompanyUpcomingInvoiceResponse(
    long AmountDue, string Currency, long CustomerBalanceApplied, long CustomerBalanceRemaining, IReadOnlyList<object> Discounts, DateTimeOffset? DueDate, long Subtotal)
{
    public static CompanyUpcomingInvoiceResponse From(InvoiceResponse invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);

        // Stripe's balances are negative for a credit: the credit the invoice uses is how much less negative it leaves it.
        var credit = Math.Max(0, -invoice.StartingBalance);
        var left = Math.Max(0, -invoice.EndingBalance);
        return new(invoice.AmountDue, invoice.Currency, Math.Max(0, credit - left), left, [], invoice.DueDate, invoice.Subtotal);
    }
}
