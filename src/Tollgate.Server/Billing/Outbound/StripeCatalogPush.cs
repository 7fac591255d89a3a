using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Outbound;

/// <summary>
/// Pushes a plan version to Stripe: the plan's product (made once, renamed with the plan) and the version's prices,
/// each stored as a billing product/price resource as soon as Stripe answers, so subscriptions to them map back to the
/// version. Idempotent: stored links are looked up first, so a second push creates nothing; a push cut short between
/// Stripe's answer and the store write is repeated under the same idempotency keys, and Stripe answers the objects it
/// already made. A price whose terms changed is replaced: the new one is made and the old one archived (Stripe prices
/// are immutable).
/// </summary>
internal sealed class StripeCatalogPush(StripeConnections connections, RuntimeRegistry runtimes, ResourceStore store, BillingCatalogStore billing, OutboundStatus status, TimeProvider time)
{
    private const string Operation = "push";

    public async Task<PushPlanVersionResponse> PushAsync(RequestScope scope, string versionId, PushPlanVersionRequest? request, CancellationToken cancellationToken)
    {
        var plan = PushPlan.From(request);
        // Not connected is told before anything about the catalog: without Stripe nothing can be pushed.
        var connection = await connections.RequireAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.VersionsById.TryGetValue(versionId, out var version))
        {
            Errors.NotFound("plan version");
        }

        var planRecord = catalog.Plans[version.PlanId];
        var meters = await MetersAsync(scope, plan, cancellationToken).ConfigureAwait(false);
        var writer = new StripeCatalogWriter(connection.Account);
        var field = "plan_version_id";
        try
        {
            var (product, productCreated) = await ProductAsync(scope, writer, planRecord, cancellationToken).ConfigureAwait(false);
            var stored = (await store.ListByParentsAsync<BillingPriceRecord>(scope.EnvironmentId, ResourceKinds.BillingPrice, [product.Id], cancellationToken).ConfigureAwait(false))
                .Where(p => p.PlanVersionId == version.Id)
                .ToList();
            var prices = new List<PushedPrice>();
            foreach (var wanted in plan.Prices)
            {
                field = wanted.Field;
                var meterId = meters.GetValueOrDefault(wanted.Field);
                var existing = stored.FirstOrDefault(p => wanted.IsMetBy(p, meterId));
                var created = existing is null;
                existing ??= await CreatePriceAsync(scope, writer, product.Id, planRecord, version, wanted, meterId, cancellationToken).ConfigureAwait(false);
                foreach (var replaced in stored.Where(p => p.Active && p.Id != existing.Id && WantedPrice.SlotOf(p) == wanted.Slot))
                {
                    await ArchiveAsync(scope, writer, replaced, cancellationToken).ConfigureAwait(false);
                }

                prices.Add(Describe(existing, wanted, created));
            }

            var response = new PushPlanVersionResponse(planRecord.Id, version.Id, new PushedProduct(product.Id, product.Name, productCreated), prices);
            await status.SucceededAsync(
                scope.EnvironmentId,
                Operation,
                new Dictionary<string, string?>
                {
                    ["plan_version_id"] = version.Id, ["product_id"] = product.Id, ["prices_created"] = prices.Count(p => p.Created).ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (StripeCallException e)
        {
            var failure = OutboundFailures.From(e, param => FieldOf(param, field));
            await status.FailedAsync(scope.EnvironmentId, Operation, failure.Message, CancellationToken.None).ConfigureAwait(false);
            throw failure;
        }
    }

    /// <summary>The field of the request Stripe blamed, for the price being created (<paramref name="field"/>).</summary>
    private static string? FieldOf(string param, string field) => param switch
    {
        "unit_amount" => $"{field}.unit_amount",
        "currency" => $"{field}.currency",
        "recurring[meter]" => $"{field}.meter_id",
        _ => null,
    };

    /// <summary>The meter of each metered price: the one named, or the stored meter of its event subtype; 400 when neither.</summary>
    private async Task<Dictionary<string, string>> MetersAsync(RequestScope scope, PushPlan plan, CancellationToken cancellationToken)
    {
        var meters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var wanted in plan.Prices.Where(p => p.Kind == OutboundMetadata.Metered))
        {
            var meterId = wanted.MeterId
                ?? (await store.GetByKeyAsync<StoredMeter>(scope.EnvironmentId, ResourceKinds.BillingMeter, wanted.EventSubtype!, cancellationToken).ConfigureAwait(false))?.Id;
            if (meterId is null)
            {
                Errors.BadRequest($"{wanted.Field}.meter_id", $"is required: no Stripe billing meter is known for event subtype '{wanted.EventSubtype}' (create one, then name it here)");
            }

            meters[wanted.Field] = meterId;
        }

        return meters;
    }

    private async Task<(BillingProductRecord Product, bool Created)> ProductAsync(RequestScope scope, StripeCatalogWriter writer, PlanRecord plan, CancellationToken cancellationToken)
    {
        var products = await store.ListAllAsync<BillingProductRecord>(scope.EnvironmentId, ResourceKinds.BillingProduct, cancellationToken).ConfigureAwait(false);
        var existing = products.Where(p => p.PlanId == plan.Id && !p.Deleted).OrderByDescending(p => p.Active).FirstOrDefault();
        if (existing is not null)
        {
            if (existing.Name == plan.Name)
            {
                return (existing, false);
            }

            var renamed = await writer.UpdateProductAsync(existing.Id, plan.Name, null, cancellationToken).ConfigureAwait(false);
            return (await billing.SaveAsync(scope, existing, existing with { Name = renamed.Name, Metadata = renamed.Metadata, UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false), false);
        }

        var metadata = new Dictionary<string, string>
        {
            [StripeCompanyKeys.PlanIdMetadata] = plan.Id,
            [StripeCompanyKeys.EnvironmentIdMetadata] = scope.EnvironmentId,
        };
        var product = await writer.CreateProductAsync(new NewStripeProduct(plan.Name, metadata), cancellationToken).ConfigureAwait(false);
        return (await billing.SaveAsync(scope, null, BillingRecords.Product(product, plan.Id, time.GetUtcNow()), cancellationToken).ConfigureAwait(false), true);
    }

    private async Task<BillingPriceRecord> CreatePriceAsync(
        RequestScope scope, StripeCatalogWriter writer, string productId, PlanRecord plan, PlanVersionRecord version, WantedPrice wanted, string? meterId, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>
        {
            [StripeCompanyKeys.PlanIdMetadata] = plan.Id,
            [StripeCompanyKeys.PlanVersionIdMetadata] = version.Id,
            [StripeCompanyKeys.EnvironmentIdMetadata] = scope.EnvironmentId,
            [OutboundMetadata.PriceKind] = wanted.Kind,
        };
        if (wanted.EventSubtype is { } subtype)
        {
            metadata[OutboundMetadata.EventSubtype] = subtype;
        }

        // A lookup key names the version's current base price per interval; a replacement takes it over (transfer_lookup_key).
        var lookupKey = wanted.Kind == OutboundMetadata.Metered ? null : $"tollgate_{version.Id}_{wanted.Interval}";
        var price = await writer.CreatePriceAsync(
            new NewStripePrice(productId, wanted.UnitAmount, wanted.Currency, wanted.Interval, wanted.UsageType, meterId, metadata, lookupKey), cancellationToken).ConfigureAwait(false);
        return await billing.SaveAsync(scope, null, BillingRecords.Price(price, version.Id, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    private async Task ArchiveAsync(RequestScope scope, StripeCatalogWriter writer, BillingPriceRecord price, CancellationToken cancellationToken)
    {
        var archived = await writer.ArchivePriceAsync(price.Id, cancellationToken).ConfigureAwait(false);
        await billing.SaveAsync(scope, price, price with { Active = archived.Active, LookupKey = archived.LookupKey, UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
    }

    private static PushedPrice Describe(BillingPriceRecord price, WantedPrice wanted, bool created) =>
        new(price.Id, wanted.Interval, price.UnitAmount, price.Currency, wanted.UsageType, wanted.Kind == OutboundMetadata.PerSeat, wanted.EventSubtype, price.MeterId, created);

    /// <summary>The part of a stored billing meter this needs (the meter sync owns the full record).</summary>
    private sealed record StoredMeter(string Id);
}
