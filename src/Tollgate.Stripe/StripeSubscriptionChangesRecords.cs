namespace Tollgate.Stripe;

/// <summary>A change to one subscription (<c>POST /v1/subscriptions/{id}</c>).</summary>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="Items">Items to change, add (no <see cref="SubscriptionItemChange.ItemId"/>) or remove.</param>
/// <param name="ProrationBehavior"><see cref="ProrationBehaviors"/>; null leaves Stripe's default (create_prorations).</param>
/// <param name="CancelAtPeriodEnd">True to end it at the period's end, false to keep it going; null leaves it.</param>
public sealed record SubscriptionChange(string SubscriptionId, IReadOnlyList<SubscriptionItemChange> Items, string? ProrationBehavior, bool? CancelAtPeriodEnd);

/// <summary>One item of a <see cref="SubscriptionChange"/>: replace an item's price and/or quantity, add one, or delete one.</summary>
/// <param name="ItemId">The item changed or deleted; null to add a new item.</param>
/// <param name="PriceId">The new price; null keeps the item's.</param>
/// <param name="Quantity">The new quantity; null keeps it (and must be null for metered prices).</param>
/// <param name="Deleted">True to remove the item.</param>
public sealed record SubscriptionItemChange(string? ItemId, string? PriceId, long? Quantity, bool Deleted = false);

/// <summary>A subscription as Stripe answered after a change.</summary>
public sealed record StripeSubscriptionInfo(
    string Id, string CustomerId, string Status, bool CancelAtPeriodEnd, DateTimeOffset? CancelAt, IReadOnlyList<StripeSubscriptionItemInfo> Items);

/// <summary>One item of a subscription.</summary>
public sealed record StripeSubscriptionItemInfo(string Id, string PriceId, string? ProductId, long? Quantity);

/// <summary>Values of <c>proration_behavior</c>.</summary>
public static class ProrationBehaviors
{
    /// <summary>Credit and charge the difference on the next invoice (Stripe's default).</summary>
    public const string CreateProrations = "create_prorations";

    /// <summary>Prorate and invoice the difference at once.</summary>
    public const string AlwaysInvoice = "always_invoice";

    /// <summary>No proration: the new price applies from the next period.</summary>
    public const string None = "none";

    /// <summary>All of them.</summary>
    public static IReadOnlyList<string> All { get; } = [CreateProrations, AlwaysInvoice, None];
}
