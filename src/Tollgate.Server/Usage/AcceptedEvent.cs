using Tollgate.Server.Companies;

namespace Tollgate.Server.Usage;

/// <summary>The event types of the capture protocol (spec §1.3).</summary>
internal enum EventType
{
    Track,
    Identify,
    FlagCheck,
}

/// <summary>
/// An event that passed validation and whose company and user are resolved, ready to append to the log.
/// <see cref="Subscription"/> is the company's billing period when the event arrived: it decides the billing-cycle bucket.
/// <see cref="Burns"/> are the credits a track costs under the company's credit-based entitlements (burnt in the same
/// commit, or held on <see cref="LeaseId"/>'s lease when the event names one).
/// </summary>
internal sealed record AcceptedEvent(
    string EnvironmentId,
    EventType Type,
    string? Subtype,
    string? CompanyId,
    string? UserId,
    long Quantity,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    bool Backfill,
    string? IdempotencyKey,
    string Body,
    SubscriptionPeriod? Subscription)
{
    /// <summary>Credits the event burns (empty for most).</summary>
    public IReadOnlyList<Credits.CreditBurn> Burns { get; init; } = [];

    /// <summary>
    /// The limits of the company's entitlements this track counts against, when its environment has a webhook watching
    /// limits (empty otherwise): the commit raises a notice for each level it takes a counter to or past.
    /// </summary>
    public IReadOnlyList<Notifications.LimitWatch> Limits { get; init; } = [];

    /// <summary>
    /// The credit lease a track was made under (<c>body.lease_id</c>), if any: checked at intake to be a lease of the
    /// event's company, of <see cref="LeaseCreditTypeId"/>. Only the burn of that credit type is held on it.
    /// </summary>
    public string? LeaseId { get; init; }

    /// <summary>The credit type of <see cref="LeaseId"/>'s lease.</summary>
    public string? LeaseCreditTypeId { get; init; }

    /// <summary>
    /// False for the usage of a publishable key in an environment whose publishable policy keeps it from billing: it
    /// counts in metrics, and never reaches the meter outbox (nor burns credits).
    /// </summary>
    public bool ReachesBilling { get; init; } = true;

    /// <summary>
    /// The answer to replay when the event's idempotency key comes again (a <c>check-and-track</c>'s), kept with the
    /// key in the same commit; null for events of a batch.
    /// </summary>
    public string? Answer { get; init; }

    /// <summary>The wire name of the type.</summary>
    public string TypeName => Type switch
    {
        EventType.Track => "track",
        EventType.Identify => "identify",
        _ => "flag_check",
    };

    /// <summary>True when the event adds to usage counters.</summary>
    public bool CountsUsage => Type == EventType.Track && CompanyId is not null && Subtype is not null;
}
