using System.Collections.Concurrent;
using System.Net;
using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Meters;

/// <summary>
/// Which Stripe meter each event subtype is billed through: meters created from Tollgate (<see cref="CreateAsync"/>)
/// and meters found in Stripe whose <c>event_name</c> is a subtype (<see cref="RefreshAsync"/>), kept as
/// <c>billing_meter</c> resources.
/// </summary>
internal sealed class BillingMeters(ResourceStore store, StripeConnections connections, AuditLog audit, TimeProvider time)
{
    /// <summary>The longest subtype a meter can bill: Stripe's limit on <c>event_name</c>.</summary>
    public const int MaxEventNameLength = 100;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _refreshedAt = new(StringComparer.Ordinal);

    /// <summary>The environment's Stripe meters, by subtype (meters pushed from another billing system bill nothing here).</summary>
    public async Task<IReadOnlyDictionary<string, BillingMeterRecord>> BySubtypeAsync(string environmentId, CancellationToken cancellationToken) =>
        (await ListAsync(environmentId, cancellationToken).ConfigureAwait(false)).Where(m => m.ProviderType == BillingProviders.Stripe).ToDictionary(m => m.EventSubtype, StringComparer.Ordinal);

    /// <summary>The environment's meters, oldest first.</summary>
    public Task<IReadOnlyList<BillingMeterRecord>> ListAsync(string environmentId, CancellationToken cancellationToken) =>
        store.ListAllAsync<BillingMeterRecord>(environmentId, ResourceKinds.BillingMeter, cancellationToken);

    /// <summary>When this node last read the environment's meters from Stripe (null: never).</summary>
    public DateTimeOffset? RefreshedAt(string environmentId) => _refreshedAt.TryGetValue(environmentId, out var at) ? at : null;

    /// <summary>
    /// Creates a Stripe meter summing the subtype's usage and records it. When Stripe already has an active meter with
    /// that event name, it is adopted instead (<c>Created</c> is then false). 409 when the subtype already has a meter.
    /// </summary>
    public async Task<(BillingMeterRecord Meter, bool Created)> CreateAsync(RequestScope scope, CreateBillingMeterRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var subtype = Validate.Required(request.EventSubtype, "event_subtype");
        if (subtype.Length > MaxEventNameLength)
        {
            Errors.BadRequest("event_subtype", $"must be at most {MaxEventNameLength} characters (Stripe's limit on a meter's event_name)");
        }

        var displayName = Validate.Bounded(request.DisplayName, "display_name") is { Length: > 0 } name ? name : subtype;
        var connection = await connections.RequireAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        if (await store.GetByKeyAsync<BillingMeterRecord>(scope.EnvironmentId, ResourceKinds.BillingMeter, subtype, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            Errors.Conflict("event_subtype", $"'{subtype}' is already billed through meter {existing.Id}");
        }

        StripeMeter created;
        try
        {
            created = await new StripeMeters(connection.Account).CreateAsync(new NewStripeMeter(displayName, subtype), cancellationToken).ConfigureAwait(false);
        }
        catch (StripeCallException e) when (e.Status == HttpStatusCode.BadRequest && e.Param == "event_name")
        {
            // Stripe allows one active meter per event name: the one it has is the subtype's meter.
            var refreshed = await RefreshAsync(connection, scope, cancellationToken).ConfigureAwait(false);
            return refreshed.FirstOrDefault(m => m.EventSubtype == subtype) is { } adopted
                ? (adopted, false)
                : throw new RequestException(StatusCodes.Status400BadRequest, $"event_subtype: Stripe refused the meter ({e.Message})");
        }
        catch (StripeCallException e)
        {
            throw new RequestException(e.Retryable ? StatusCodes.Status502BadGateway : StatusCodes.Status400BadRequest, $"stripe: the meter was not created: {StripeConnections.Describe(e)}");
        }

        var record = Record(created);
        await store.Database.WriteAsync(
            async (db, transaction) =>
            {
                await store.PutAsync(db, transaction, scope.EnvironmentId, ResourceKinds.BillingMeter, record.Id, record.EventSubtype, null, record).ConfigureAwait(false);
                await audit.RecordAsync(db, transaction, scope, scope.EnvironmentId, "create", ResourceKinds.BillingMeter, record.Id, null, (BillingMeterRecord?)null, record).ConfigureAwait(false);
                return 0;
            },
            cancellationToken).ConfigureAwait(false);
        return (record, true);
    }

    /// <summary>
    /// Deactivates the meter in Stripe (Stripe then refuses its events) and forgets it: its subtype's usage is skipped
    /// from then on. 404 when the environment has no such meter; a meter Stripe no longer has is only forgotten.
    /// </summary>
    public async Task DeactivateAsync(RequestScope scope, string meterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var connection = await connections.RequireAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var meter = await store.GetAsync<BillingMeterRecord>(scope.EnvironmentId, ResourceKinds.BillingMeter, meterId, cancellationToken).ConfigureAwait(false);
        if (meter is null)
        {
            Errors.NotFound("billing meter");
        }

        try
        {
            await new StripeMeters(connection.Account).DeactivateAsync(meterId, cancellationToken).ConfigureAwait(false);
        }
        catch (StripeCallException e) when (e.IsNotFound)
        {
            // Gone from Stripe already: forgetting it is all that is left to do.
        }
        catch (StripeCallException e)
        {
            throw new RequestException(e.Retryable ? StatusCodes.Status502BadGateway : StatusCodes.Status400BadRequest, $"stripe: the meter was not deactivated: {StripeConnections.Describe(e)}");
        }

        await store.Database.WriteAsync(
            async (db, transaction) =>
            {
                await ResourceStore.DeleteAsync(db, transaction, scope.EnvironmentId, ResourceKinds.BillingMeter, meterId).ConfigureAwait(false);
                await audit.RecordAsync(db, transaction, scope, scope.EnvironmentId, "delete", ResourceKinds.BillingMeter, meterId, null, meter, (BillingMeterRecord?)null).ConfigureAwait(false);
                return 0;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the account's active meters from Stripe and makes them the environment's meters: each active meter bills
    /// the subtype equal to its <c>event_name</c>; meters Stripe no longer has active are forgotten. Throws
    /// <see cref="StripeCallException"/> when Stripe fails (nothing is changed then).
    /// </summary>
    public async Task<IReadOnlyList<BillingMeterRecord>> RefreshAsync(StripeConnection connection, RequestScope? scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var environmentId = connection.EnvironmentId;
        var active = (await new StripeMeters(connection.Account).ListAsync("active", cancellationToken).ConfigureAwait(false))
            .Where(m => m.EventName.Length <= MaxEventNameLength)
            .Select(Record)
            .ToList();
        var all = await ListAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var known = all.Where(m => m.ProviderType == BillingProviders.Stripe).ToList();

        // A subtype a pushed meter (another billing system's) holds keeps it: its key is taken.
        active.RemoveAll(a => all.Any(m => m.ProviderType != BillingProviders.Stripe && m.EventSubtype == a.EventSubtype));
        var actor = scope ?? StripeActor.Scope(environmentId);
        await store.Database.WriteAsync(
            async (db, transaction) =>
            {
                // Forget first: a subtype whose meter was replaced in Stripe takes the new one's id under the same key.
                foreach (var gone in known.Where(k => !active.Any(a => a.Id == k.Id && a.EventSubtype == k.EventSubtype)))
                {
                    await ResourceStore.DeleteAsync(db, transaction, environmentId, ResourceKinds.BillingMeter, gone.Id).ConfigureAwait(false);
                    await audit.RecordAsync(db, transaction, actor, environmentId, "delete", ResourceKinds.BillingMeter, gone.Id, null, gone, (BillingMeterRecord?)null).ConfigureAwait(false);
                }

                foreach (var meter in active.Where(a => !known.Any(k => k.Id == a.Id && k.EventSubtype == a.EventSubtype)))
                {
                    await store.PutAsync(db, transaction, environmentId, ResourceKinds.BillingMeter, meter.Id, meter.EventSubtype, null, meter).ConfigureAwait(false);
                    await audit.RecordAsync(db, transaction, actor, environmentId, "create", ResourceKinds.BillingMeter, meter.Id, null, (BillingMeterRecord?)null, meter).ConfigureAwait(false);
                }

                return 0;
            },
            cancellationToken).ConfigureAwait(false);
        _refreshedAt[environmentId] = time.GetUtcNow();
        return await ListAsync(environmentId, cancellationToken).ConfigureAwait(false);
    }

    private BillingMeterRecord Record(StripeMeter meter) => new()
    {
        Id = meter.Id,
        EventSubtype = meter.EventName,
        EventName = meter.EventName,
        DisplayName = meter.DisplayName,
        Formula = meter.Formula,
        CustomerPayloadKey = meter.CustomerPayloadKey,
        ValuePayloadKey = meter.ValuePayloadKey,
        StripeCreatedAt = meter.Created,
        UpdatedAt = time.GetUtcNow(),
    };
}
