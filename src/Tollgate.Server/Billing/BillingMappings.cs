using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Billing;

/// <summary>
/// Mappings set by hand: which plan a Stripe product sells, which plan version a price belongs to. A manual mapping
/// is kept by every later sync; the companies billed for the product or price are put on their plans again at once
/// (from the billing state Tollgate holds, without asking Stripe).
/// </summary>
internal sealed class BillingMappings(BillingCatalogStore billing, RuntimeRegistry runtimes, StripeConnections connections, StripeObjectSync sync, TimeProvider time)
{
    public async Task<BillingProductRecord> MapProductAsync(RequestScope scope, string productId, MapBillingProductRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (request.PlanId is { } planId && !catalog.Plans.ContainsKey(planId))
        {
            Errors.BadRequest("plan_id", "must name an existing plan or add-on");
        }

        var before = await billing.ProductAsync(scope.EnvironmentId, productId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "billing product not found");
        var after = before with { PlanId = request.PlanId, PlanMappedManually = true, UpdatedAt = time.GetUtcNow() };
        await billing.SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        await ReapplyAsync(scope, item => item.ProductId == productId, cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<BillingPriceRecord> MapPriceAsync(RequestScope scope, string priceId, MapBillingPriceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (request.PlanVersionId is { } versionId && !catalog.VersionsById.ContainsKey(versionId))
        {
            Errors.BadRequest("plan_version_id", "must name an existing plan version");
        }

        var before = await billing.PriceAsync(scope.EnvironmentId, priceId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "billing price not found");
        var after = before with { PlanVersionId = request.PlanVersionId, PlanVersionMappedManually = true, UpdatedAt = time.GetUtcNow() };
        await billing.SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        await ReapplyAsync(scope, item => item.PriceId == priceId, cancellationToken).ConfigureAwait(false);
        return after;
    }

    private async Task ReapplyAsync(RequestScope scope, Func<Companies.CompanyBillingItem, bool> affected, CancellationToken cancellationToken)
    {
        var settings = (await connections.GetAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false))?.Settings ?? new StripeSettings();
        await sync.ReapplyAsync(settings, StripeActor.Scope(scope.EnvironmentId), affected, cancellationToken).ConfigureAwait(false);
    }
}
