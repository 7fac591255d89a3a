using Stripe;

namespace Tollgate.Stripe;

/// <summary>
/// Changes subscriptions directly (upgrade, downgrade, seats, cancel at period end) with a proration behaviour. Not
/// keyed by content: changing A→B→A must happen three times, so each call gets Stripe.net's own key, which its retries
/// of that one call reuse.
/// </summary>
public sealed class StripeSubscriptionChanges(StripeAccount account)
{
    private readonly StripeClient _client = (account ?? throw new ArgumentNullException(nameof(account))).Client;

    /// <summary>Applies <paramref name="change"/> and answers the subscription as Stripe now has it.</summary>
    public Task<StripeSubscriptionInfo> UpdateAsync(SubscriptionChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var options = new SubscriptionUpdateOptions
        {
            Items = change.Items.Count == 0 ? null : [.. change.Items.Select(i => new SubscriptionItemOptions { Id = i.ItemId, Price = i.PriceId, Quantity = i.Quantity, Deleted = i.Deleted ? true : null })],
            ProrationBehavior = change.ProrationBehavior,
            CancelAtPeriodEnd = change.CancelAtPeriodEnd,
        };
        return StripeCallException.Wrap(async () => Map(await _client.V1.Subscriptions.UpdateAsync(change.SubscriptionId, options, cancellationToken: cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Moves the end of a trialing subscription's trial (and so its first billing) to <paramref name="trialEnd"/>.</summary>
    public Task<StripeSubscriptionInfo> UpdateTrialEndAsync(string subscriptionId, DateTimeOffset trialEnd, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        var options = new SubscriptionUpdateOptions { TrialEnd = trialEnd.UtcDateTime, ProrationBehavior = ProrationBehaviors.None };
        return StripeCallException.Wrap(async () => Map(await _client.V1.Subscriptions.UpdateAsync(subscriptionId, options, cancellationToken: cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Reads a subscription.</summary>
    public Task<StripeSubscriptionInfo> GetAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        return StripeCallException.Wrap(async () => Map(await _client.V1.Subscriptions.GetAsync(subscriptionId, cancellationToken: cancellationToken).ConfigureAwait(false)));
    }

    private static StripeSubscriptionInfo Map(Subscription subscription) => new(
        subscription.Id,
        subscription.CustomerId,
        subscription.Status,
        subscription.CancelAtPeriodEnd,
        subscription.CancelAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null,
        [.. (subscription.Items?.Data ?? []).Select(i => new StripeSubscriptionItemInfo(i.Id, i.Price?.Id ?? string.Empty, i.Price?.ProductId, i.Quantity))]);
}
