using Tollgate.Server.Audit;
using Tollgate.Server.Billing.Meters;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// Meters pushed from a billing system other than Stripe (<c>POST /billing/meter/upsert</c>): billing meter records
/// (kind <c>billing_meter</c>, key = the event name it meters) marked with their provider, so the Stripe meter sync never
/// sends them usage and a refresh from Stripe leaves them alone. A Stripe meter is managed through <c>/billing/meters</c>.
/// </summary>
internal sealed class BillingMeterPush(ResourceStore store, AuditLog audit, TimeProvider time)
{
    public async Task<BillingMeterRecord> UpsertAsync(RequestScope scope, UpsertBillingMeterRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var externalId = Validate.Required(request.ExternalId, "external_id");
        var eventName = Validate.Required(request.EventName, "event_name");
        if (eventName.Length > BillingMeters.MaxEventNameLength)
        {
            Errors.BadRequest("event_name", $"must be at most {BillingMeters.MaxEventNameLength} characters");
        }

        var payloadKey = Validate.Required(request.EventPayloadKey, "event_payload_key");
        var displayName = Validate.Required(request.DisplayName, "display_name");
        var provider = BillingProviders.Of(request.ProviderType);
        if (provider == BillingProviders.Stripe)
        {
            Errors.BadRequest("provider_type", "Stripe meters come from the connected Stripe account (POST /billing/meters, POST /billing/meters/refresh)");
        }

        var before = await store.GetAsync<BillingMeterRecord>(scope.EnvironmentId, ResourceKinds.BillingMeter, externalId, cancellationToken).ConfigureAwait(false);
        PushedProvider.EnsureSame(before?.ProviderType, provider, "meter");

        if (await store.GetByKeyAsync<BillingMeterRecord>(scope.EnvironmentId, ResourceKinds.BillingMeter, eventName, cancellationToken).ConfigureAwait(false) is { } holder && holder.Id != externalId)
        {
            Errors.BadRequest("event_name", $"already metered by {holder.ProviderType} meter {holder.Id}");
        }

        var now = time.GetUtcNow();
        var after = new BillingMeterRecord
        {
            Id = externalId,
            EventSubtype = eventName,
            EventName = eventName,
            DisplayName = displayName,
            ValuePayloadKey = payloadKey,
            ProviderType = provider,
            StripeCreatedAt = before?.StripeCreatedAt ?? now,
            UpdatedAt = now,
        };
        return await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                if (await ResourceStore.KindOfAsync(connection, transaction, scope.EnvironmentId, externalId).ConfigureAwait(false) is { } taken && taken != ResourceKinds.BillingMeter)
                {
                    Errors.BadRequest("external_id", $"'{externalId}' is already the id of a {taken}");
                }

                if (await ResourceStore.KeyTakenAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.BillingMeter, eventName, externalId).ConfigureAwait(false))
                {
                    throw new ConcurrentChangeException(ResourceKinds.BillingMeter, externalId);
                }

                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.BillingMeter, externalId, eventName, null, before, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", ResourceKinds.BillingMeter, externalId, null, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
