using Tollgate.Server.Companies;

namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// The billing side of a migration, which the billing area provides (Stripe today): what a company's subscription
/// would become on the new version, and making it so. Absent (no billing registered), companies move in Tollgate only.
/// </summary>
internal interface IPlanMigrationBilling
{
    /// <summary>What moving the company from <paramref name="fromVersionId"/> to <paramref name="toVersionId"/> would change in its subscription.</summary>
    Task<BillingMovePlan> PlanAsync(string environmentId, CompanyRecord company, string fromVersionId, string toVersionId, CancellationToken cancellationToken);

    /// <summary>
    /// How many companies moving from <paramref name="fromVersionId"/> to <paramref name="toVersionId"/> would have their
    /// subscription changed, and how many would fail, by the same rule as <see cref="PlanAsync"/>: counted in the store,
    /// without reading each company.
    /// </summary>
    Task<BillingMoveCounts> CountAsync(string environmentId, string fromVersionId, string toVersionId, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the company's subscription items from the origin versions' prices to <paramref name="toVersionId"/>'s.
    /// Safe to repeat: the subscription is read again first, and an item already on the target price is left alone.
    /// </summary>
    Task<BillingMoveResult> MoveAsync(
        string environmentId, CompanyRecord company, IReadOnlyCollection<string> fromVersionIds, string toVersionId, string? prorationBehavior, CancellationToken cancellationToken);

    /// <summary>
    /// Brings the company's subscription into Tollgate again (after its move was written), so the billing state holds
    /// the new prices; a failure leaves it to the subscription's webhook.
    /// </summary>
    Task FollowAsync(string environmentId, CompanyRecord company, CancellationToken cancellationToken);
}

/// <summary>A price as a preview shows it.</summary>
internal sealed record BillingPrice(string PriceId, long? UnitAmount, string Currency, string? Interval);

/// <summary>One subscription item a migration would change.</summary>
internal sealed record BillingItemChange(string ItemId, BillingPrice From, BillingPrice? To);

/// <summary>
/// What a move would do to a company's subscription: <see cref="Billed"/> false for a company Tollgate does not bill;
/// <see cref="ErrorCode"/> (a <c>MigrationErrorCode</c>) when the move would fail.
/// </summary>
internal sealed record BillingMovePlan(bool Billed, IReadOnlyList<BillingItemChange> Items, string? ErrorCode, string? Note)
{
    public static BillingMovePlan NotBilled { get; } = new(false, [], null, null);

    public bool WillUpdateSubscription => Billed && ErrorCode is null && Items.Any(i => i.To is not null && i.To.PriceId != i.From.PriceId);
}

/// <summary>How many of a version's companies a move would change the subscription of, and how many it would fail.</summary>
internal sealed record BillingMoveCounts(long SubscriptionChanges, long WouldFail)
{
    public static BillingMoveCounts None { get; } = new(0, 0);
}

/// <summary>The outcome of <see cref="IPlanMigrationBilling.MoveAsync"/>: success, or a <c>MigrationErrorCode</c> and message.</summary>
internal sealed record BillingMoveResult(bool Succeeded, string? ErrorCode, string? Error)
{
    public static BillingMoveResult Ok { get; } = new(true, null, null);
}
