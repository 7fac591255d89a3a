using System.Text.Json;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>A customer company: its keys, traits, plans and billing period.</summary>
public sealed record CompanyRecord : IEntityRecord, ILinkedResource
{
    /// <summary>The company's id (<c>comp_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public string? Name { get; init; }

    /// <summary>Keys that identify the company (<c>{"id": "acme"}</c>); each pair is unique in the environment.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; init; } = new Dictionary<string, string>();

    /// <summary>Traits by name; values are strings, numbers or booleans.</summary>
    public IReadOnlyDictionary<string, JsonElement> Traits { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The base plan.</summary>
    public string? BasePlanId { get; init; }

    /// <summary>Add-on plans.</summary>
    public IReadOnlyList<string> AddOnIds { get; init; } = [];

    /// <summary>A company is linked to its add-on plans (explicit: not a stored property).</summary>
    IReadOnlyCollection<string> ILinkedResource.LinkedIds => AddOnIds;

    /// <summary>
    /// The version the company is on of each of its plans, by plan id: the published one when the plan was assigned,
    /// changed only by publishing a newer version. A plan missing here (assigned before plans had versions) means its
    /// version 1.
    /// </summary>
    public IReadOnlyDictionary<string, string> PlanVersions { get; init; } = new Dictionary<string, string>();

    /// <summary>Moves to a newer version that take effect later (published with <c>end_of_billing_period</c>).</summary>
    public IReadOnlyList<ScheduledPlanVersion> ScheduledPlanVersions { get; init; } = [];

    /// <summary>A plan change requested for later (a downgrade at the end of the billing period); applied by the scheduled-change loop.</summary>
    public ScheduledDowngrade? ScheduledDowngrade { get; init; }

    /// <summary>The current billing period, which anchors billing-cycle usage resets.</summary>
    public SubscriptionPeriod? Subscription { get; init; }

    /// <summary>Its Stripe customer and subscription as last synced; null for companies not billed through Stripe.</summary>
    public CompanyBilling? Billing { get; init; }

    /// <summary>Its latest trial run by Tollgate (not by Stripe), active or ended; null when it never had one.</summary>
    public CompanyTrial? Trial { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the application last reported it.</summary>
    public DateTimeOffset? LastSeenAt { get; init; }
}

/// <summary>A move of a company to another version of one of its plans, effective at <see cref="At"/>.</summary>
public sealed record ScheduledPlanVersion(string PlanId, string PlanVersionId, DateTimeOffset At);

/// <summary>A billing period.</summary>
public sealed record SubscriptionPeriod(string Id, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd);

/// <summary>
/// A change of a company's plans that takes effect at <see cref="EffectiveAfter"/> (Schematic's scheduled downgrade):
/// the base plan (null: none, a cancellation) and add-ons the company will then have, and the monthly prices in the
/// currency's smallest unit as known when it was scheduled. For a company billed through Stripe the plans follow its
/// subscription, so the change is <see cref="StripeChange"/>: made to the subscription when the period ends, after
/// which the Stripe sync brings the plans.
/// </summary>
public sealed record ScheduledDowngrade(
    string Id,
    string? FromPlanId,
    string? ToPlanId,
    string? ToPlanVersionId,
    IReadOnlyList<string> AddOnIds,
    DateTimeOffset EffectiveAfter,
    string Currency,
    string Interval,
    long FromPrice,
    long? ToPrice,
    string Action)
{
    /// <summary>The change to make to the company's Stripe subscription when the period ends; null for a company Tollgate bills itself.</summary>
    public ScheduledStripeChange? StripeChange { get; init; }

    /// <summary>
    /// When the scheduled-change loop gave up making <see cref="StripeChange"/> (Stripe refused it every time): the
    /// company stays on its plan, and the schedule stays here for support to see until a new checkout replaces it.
    /// </summary>
    public DateTimeOffset? FailedAt { get; init; }

    /// <summary>Why the change could not be made, as Stripe last said it (with <see cref="FailedAt"/>).</summary>
    public string? FailureReason { get; init; }
}

/// <summary>A change of a Stripe subscription's items held for later (a checkout's downgrade at the period's end).</summary>
public sealed record ScheduledStripeChange(string SubscriptionId, IReadOnlyList<ScheduledStripeItem> Items);

/// <summary>One item of a <see cref="ScheduledStripeChange"/>: an item's new price and/or quantity, a new item (no item id), or an item deleted.</summary>
public sealed record ScheduledStripeItem(string? ItemId, string? PriceId, long? Quantity, bool Deleted);
