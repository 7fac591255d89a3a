using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>Credit bundles: packs of credits sold at a price, and their grant to a company (a purchase recorded as such).</summary>
internal sealed class CreditBundleService(ResourceStore store, AuditLog audit, RuntimeRegistry runtimes, CreditTypeService creditTypes, CreditService credits, TimeProvider time)
{
    private static readonly (string, string)[] Statuses = [("active", "active"), ("inactive", "inactive")];

    public async Task<CreditBundleResponse> CreateAsync(RequestScope scope, CreditBundleRequest request, CancellationToken cancellationToken)
    {
        if (request.BundleType is not null)
        {
            Validate.OneOf(request.BundleType, "bundle_type", ("fixed", "fixed"));
        }

        var credit = await creditTypes.RequireAsync(scope.EnvironmentId, request.CreditId, "credit_id", cancellationToken).ConfigureAwait(false);
        var record = await BuildAsync(scope, Ids.New("bcb"), credit.Id, request, null, cancellationToken).ConfigureAwait(false);
        await SaveAsync(scope, null, record, cancellationToken).ConfigureAwait(false);
        return CreditBundleResponse.From(record, credit);
    }

    public async Task<CreditBundleResponse> UpdateAsync(RequestScope scope, string bundleId, CreditBundleRequest request, CancellationToken cancellationToken)
    {
        var before = await RequireAsync(scope.EnvironmentId, bundleId, cancellationToken).ConfigureAwait(false);
        var after = await BuildAsync(scope, before.Id, before.CreditId, request with { Currency = request.Currency ?? before.Currency }, before, cancellationToken).ConfigureAwait(false);
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return await ToResponseAsync(scope.EnvironmentId, after, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a bundle; credits already granted from it stay.</summary>
    public async Task<bool> DeleteAsync(RequestScope scope, string bundleId, CancellationToken cancellationToken)
    {
        var before = await store.GetAsync<CreditBundleRecord>(scope.EnvironmentId, CreditKinds.Bundle, bundleId, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }

        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, CreditKinds.Bundle, bundleId).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", CreditKinds.Bundle, bundleId, null, before, null).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<CreditBundleResponse> GetAsync(string environmentId, string bundleId, CancellationToken cancellationToken) =>
        await ToResponseAsync(environmentId, await RequireAsync(environmentId, bundleId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The bundles, oldest first, filtered by <c>credit_id</c>, <c>status</c>, <c>bundle_type</c> and <c>ids</c>.</summary>
    public async Task<IReadOnlyList<CreditBundleRecord>> ListAsync(string environmentId, string? creditId, string? status, IReadOnlyCollection<string>? ids, CancellationToken cancellationToken)
    {
        if (status is not null)
        {
            Validate.OneOf(status, "status", Statuses);
        }

        var all = await store.ListAllAsync<CreditBundleRecord>(environmentId, CreditKinds.Bundle, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(b => (creditId is null || b.CreditId == creditId) && (status is null || b.Status == status) && (ids is null || ids.Count == 0 || ids.Contains(b.Id)))];
    }

    public async Task<IReadOnlyList<CreditBundleResponse>> ToResponsesAsync(string environmentId, IEnumerable<CreditBundleRecord> bundles, CancellationToken cancellationToken)
    {
        var result = new List<CreditBundleResponse>();
        foreach (var bundle in bundles)
        {
            result.Add(await ToResponseAsync(environmentId, bundle, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>
    /// Grants <c>quantity</c> bundles (default 1) to a company: one grant of reason <c>purchased</c> of that many times
    /// the bundle's credits, expiring as the bundle says. Refused (422) for an inactive bundle or a company on none of
    /// the bundle's compatible plans. No payment is taken here: this records a sale made elsewhere.
    /// </summary>
    public async Task<CompanyGrantResponse> GrantAsync(RequestScope scope, string bundleId, CreditBundleGrantRequest request, CancellationToken cancellationToken)
    {
        var bundle = await RequireAsync(scope.EnvironmentId, bundleId, cancellationToken).ConfigureAwait(false);
        var company = await credits.RequireCompanyAsync(scope, request.CompanyId, cancellationToken).ConfigureAwait(false);
        var count = request.Quantity ?? 1;
        if (count < 1)
        {
            Errors.BadRequest("quantity", "must be at least 1");
        }

        if (bundle.Status != "active")
        {
            Errors.Unprocessable("bundle_id", "the bundle is inactive");
        }

        if (bundle.CompatiblePlanIds.Count > 0 && !CompanyPlanVersions.PlanIdsOf(company).Any(bundle.CompatiblePlanIds.Contains))
        {
            Errors.Unprocessable("company_id", "the company is on none of the bundle's compatible plans");
        }

        var grant = await credits.GrantAsync(
            scope,
            new CompanyGrantRequest(company.Id, bundle.CreditId, count * (bundle.Quantity ?? 1), "purchased", null, bundle.ExpiryType, bundle.ExpiryUnit, bundle.ExpiryUnitCount,
                Validate.Bounded(request.Note, "note") ?? $"{count} × {bundle.Name}"),
            cancellationToken).ConfigureAwait(false);
        if (!bundle.HasGrants)
        {
            await SaveAsync(scope, bundle, bundle with { HasGrants = true }, cancellationToken).ConfigureAwait(false);
        }

        return grant;
    }

    private async Task<CreditBundleRecord> RequireAsync(string environmentId, string bundleId, CancellationToken cancellationToken) =>
        await store.GetAsync<CreditBundleRecord>(environmentId, CreditKinds.Bundle, bundleId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "credit bundle not found");

    private async Task<CreditBundleResponse> ToResponseAsync(string environmentId, CreditBundleRecord bundle, CancellationToken cancellationToken) =>
        CreditBundleResponse.From(bundle, await store.GetAsync<CreditTypeRecord>(environmentId, CreditKinds.CreditType, bundle.CreditId, cancellationToken).ConfigureAwait(false));

    private async Task<CreditBundleRecord> BuildAsync(RequestScope scope, string id, string creditId, CreditBundleRequest request, CreditBundleRecord? before, CancellationToken cancellationToken)
    {
        var price = request.PricePerUnit ?? throw new RequestException(StatusCodes.Status400BadRequest, "price_per_unit: is required");
        if (price < 0 || !double.IsFinite(price))
        {
            Errors.BadRequest("price_per_unit", "must be a finite number ≥ 0");
        }

        var quantity = request.Quantity is null ? null : (double?)CreditService.Positive(request.Quantity, "quantity");
        var expiryType = request.ExpiryType is null ? before?.ExpiryType ?? "no_expiry" : Validate.OneOf(request.ExpiryType, "expiry_type", GrantExpiry.Types);
        if (expiryType == "end_of_trial")
        {
            Errors.BadRequest("expiry_type", "end_of_trial is not supported");
        }

        var unitCount = request.ExpiryUnitCount ?? before?.ExpiryUnitCount;
        if (unitCount is < 1 || (expiryType == "duration" && unitCount is null))
        {
            Errors.BadRequest("expiry_unit_count", "must be at least 1 (required when expiry_type is duration)");
        }

        var plans = request.CompatiblePlanIds ?? before?.CompatiblePlanIds ?? [];
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        foreach (var planId in plans)
        {
            if (!catalog.Plans.ContainsKey(planId))
            {
                Errors.BadRequest("compatible_plan_ids", $"{planId} is not a plan");
            }
        }

        var now = time.GetUtcNow();
        return new CreditBundleRecord
        {
            Id = id,
            Name = Validate.Required(request.BundleName, "bundle_name"),
            CreditId = creditId,
            Quantity = quantity ?? (request.Quantity is null ? before?.Quantity : null),
            PricePerUnit = price,
            PricePerUnitDecimal = Validate.Bounded(request.PricePerUnitDecimal, "price_per_unit_decimal"),
            Currency = Validate.Required(request.Currency, "currency").ToLowerInvariant(),
            CurrencyPrices = request.CurrencyPrices is null ? before?.CurrencyPrices ?? [] : [.. request.CurrencyPrices.Select(CurrencyPrice)],
            CompatiblePlanIds = [.. plans.Distinct(StringComparer.Ordinal)],
            ExpiryType = expiryType,
            ExpiryUnit = request.ExpiryUnit is null ? before?.ExpiryUnit ?? "days" : Validate.OneOf(request.ExpiryUnit, "expiry_unit", GrantExpiry.Units),
            ExpiryUnitCount = unitCount,
            Status = request.Status is null ? before?.Status ?? "active" : Validate.OneOf(request.Status, "status", Statuses),
            HasGrants = before?.HasGrants ?? false,
            CreatedAt = before?.CreatedAt ?? now,
            UpdatedAt = now,
        };
    }

    private static CreditBundleCurrencyPrice CurrencyPrice(CreditBundleCurrencyPriceRequest price)
    {
        if (price.PricePerUnit is { } amount && (amount < 0 || !double.IsFinite(amount)))
        {
            Errors.BadRequest("currency_prices.price_per_unit", "must be a finite number ≥ 0");
        }

        return new CreditBundleCurrencyPrice(Validate.Required(price.Currency, "currency_prices.currency").ToLowerInvariant(), price.PricePerUnit,
            Validate.Bounded(price.PricePerUnitDecimal, "currency_prices.price_per_unit_decimal"));
    }

    private Task<bool> SaveAsync(RequestScope scope, CreditBundleRecord? before, CreditBundleRecord after, CancellationToken cancellationToken) =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, CreditKinds.Bundle, after.Id, null, after.CreditId, before, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", CreditKinds.Bundle, after.Id, null, before, after)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
