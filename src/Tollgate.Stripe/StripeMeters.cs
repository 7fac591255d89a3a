using Stripe.Billing;

namespace Tollgate.Stripe;

/// <summary>
/// Stripe Billing meters of one account: create (aggregated by sum, the customer found by a payload key), list,
/// deactivate, and report usage to them as v1 meter events (<see cref="SendAsync"/>). Thread-safe.
/// </summary>
public sealed partial class StripeMeters(StripeAccount account)
{
    /// <summary>The payload key naming the Stripe customer in the meters Tollgate creates (Stripe's default).</summary>
    public const string DefaultCustomerPayloadKey = "stripe_customer_id";

    /// <summary>The payload key holding the value in the meters Tollgate creates (Stripe's default).</summary>
    public const string DefaultValuePayloadKey = "value";

    private readonly StripeAccount _account = account ?? throw new ArgumentNullException(nameof(account));

    /// <summary>
    /// Creates a meter summing the values of events named <see cref="NewStripeMeter.EventName"/>, per customer found
    /// by <see cref="DefaultCustomerPayloadKey"/>. Stripe allows one active meter per event name: a second answers 400
    /// (<see cref="StripeCallException.Param"/> <c>event_name</c>).
    /// </summary>
    public Task<StripeMeter> CreateAsync(NewStripeMeter meter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return StripeCallException.Wrap(async () => Map(await _account.Client.V1.Billing.Meters.CreateAsync(
            new MeterCreateOptions
            {
                DisplayName = meter.DisplayName,
                EventName = meter.EventName,
                DefaultAggregation = new MeterDefaultAggregationOptions { Formula = "sum" },
                CustomerMapping = new MeterCustomerMappingOptions { Type = "by_id", EventPayloadKey = DefaultCustomerPayloadKey },
                ValueSettings = new MeterValueSettingsOptions { EventPayloadKey = DefaultValuePayloadKey },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Every meter of the account (paging through all of them), optionally only those of one status (<c>active</c>, <c>inactive</c>).</summary>
    public Task<IReadOnlyList<StripeMeter>> ListAsync(string? status, CancellationToken cancellationToken) =>
        StripeCallException.Wrap<IReadOnlyList<StripeMeter>>(async () =>
        {
            var meters = new List<StripeMeter>();
            var options = new MeterListOptions { Limit = 100, Status = status };
            await foreach (var meter in _account.Client.V1.Billing.Meters.ListAutoPagingAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                meters.Add(Map(meter));
            }

            return meters;
        });

    /// <summary>Deactivates a meter: Stripe then refuses its events.</summary>
    public Task<StripeMeter> DeactivateAsync(string meterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(meterId);
        return StripeCallException.Wrap(async () =>
            Map(await _account.Client.V1.Billing.Meters.DeactivateAsync(meterId, cancellationToken: cancellationToken).ConfigureAwait(false)));
    }

    private static StripeMeter Map(Meter meter) => new(
        meter.Id,
        meter.DisplayName,
        meter.EventName,
        meter.Status,
        meter.DefaultAggregation?.Formula ?? "sum",
        meter.CustomerMapping?.EventPayloadKey ?? DefaultCustomerPayloadKey,
        meter.ValueSettings?.EventPayloadKey ?? DefaultValuePayloadKey,
        new DateTimeOffset(DateTime.SpecifyKind(meter.Created, DateTimeKind.Utc)));
}

/// <summary>A meter to create: its name in Stripe's dashboard and the event name its events carry.</summary>
public sealed record NewStripeMeter(string DisplayName, string EventName);

/// <summary>
/// A Stripe billing meter: which events it counts (<see cref="EventName"/>), how (<see cref="Formula"/>), and which
/// payload keys carry the customer and the value.
/// </summary>
public sealed record StripeMeter(
    string Id,
    string DisplayName,
    string EventName,
    string Status,
    string Formula,
    string CustomerPayloadKey,
    string ValuePayloadKey,
    DateTimeOffset Created)
{
    /// <summary>True when Stripe accepts events for it.</summary>
    public bool IsActive => string.Equals(Status, "active", StringComparison.Ordinal);
}
