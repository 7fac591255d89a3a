using Tollgate.Server.Credits;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>Credits (Schematic's "billing credits" paths), the credit ledger, reservations and check-and-reserve.</summary>
internal static class CreditEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var credits = api.MapGroup("/billing/credits").WithTags("Credits");
        MapCreditTypes(credits);
        MapGrants(credits);
        MapPlanGrants(credits.MapGroup("/plan-grants"));
        MapReservations(credits.MapGroup("/reservations"));
        MapLeases(credits.MapGroup("/lease"));
        CreditBundleEndpoints.Map(api);

        credits.MapGet("/balance", async (HttpContext http, CreditService service, CancellationToken ct) =>
        {
            var companyId = http.Request.Query["company_id"].ToString();
            var balances = await service.BalancesAsync(http.Scope(), companyId, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<BalanceResponse>>(balances, new Dictionary<string, object?> { ["company_id"] = companyId }));
        });
        credits.MapPut("/overdraft", async (HttpContext http, OverdraftRequest body, CreditService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.SetOverdraftAsync(http.Scope(), body, ct).ConfigureAwait(false))));
        credits.MapPost("/consume", async (HttpContext http, ConsumeRequest body, CreditService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.ConsumeAsync(http.Scope(), body, ct).ConfigureAwait(false))));

        var ledger = api.MapGroup("/v2/billing/credits/ledger").WithTags("Credits");
        ledger.MapGet("/", async (HttpContext http, LedgerService service, CancellationToken ct) =>
        {
            var paging = Paging.From(http.Request);
            var page = await service.ListAsync(http.Scope(), LedgerFilter.From(http.Request), paging, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Page(page, paging));
        });
        ledger.MapGet("/count", async (HttpContext http, LedgerService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new CountResult(await service.CountAsync(http.Scope(), LedgerFilter.From(http.Request), ct).ConfigureAwait(false)))));

        // A write: it holds credits, so a publishable key (which browsers carry) may not call it.
        api.MapPost("/flags/{flagKey}/check-and-reserve", async (HttpContext http, string flagKey, CheckAndReserveRequest? body, CheckAndReserveService service, CancellationToken ct) =>
        {
            CheckContextKeys.Check(body?.Company, body?.User);
            return TypedResults.Ok(Envelope.Of(await service.CheckAndReserveAsync(http.Scope(), flagKey, body, ct).ConfigureAwait(false)));
        })
            .WithTags("Checks");
    }

    private static void MapCreditTypes(RouteGroupBuilder credits)
    {
        credits.MapGet("/", async (HttpContext http, CreditTypeService service, CancellationToken ct) =>
        {
            var paging = Paging.From(http.Request);
            var all = await service.ListAsync(http.Scope().EnvironmentId, Query(http, "name"), ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Page<CreditTypeRecord>([.. all.Skip(paging.Offset).Take(paging.Limit)], paging));
        });
        credits.MapGet("/count", async (HttpContext http, CreditTypeService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new CountResult((await service.ListAsync(http.Scope().EnvironmentId, Query(http, "name"), ct).ConfigureAwait(false)).Count))));
        credits.MapPost("/", async (HttpContext http, CreditTypeRequest body, CreditTypeService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        credits.MapGet("/{creditId}", async (HttpContext http, string creditId, CreditTypeService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope().EnvironmentId, creditId, ct).ConfigureAwait(false))));
        credits.MapPut("/{creditId}", async (HttpContext http, string creditId, CreditTypeRequest body, CreditTypeService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateAsync(http.Scope(), creditId, body, ct).ConfigureAwait(false))));
        credits.MapDelete("/{creditId}", async (HttpContext http, string creditId, CreditTypeService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), creditId, ct).ConfigureAwait(false), "credit"));
    }

    private static void MapGrants(RouteGroupBuilder credits)
    {
        credits.MapPost("/grants/company", async (HttpContext http, CompanyGrantRequest body, CreditService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.GrantAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        credits.MapGet("/grants/company/list", (HttpContext http, CreditService service, CancellationToken ct) => ListGrantsAsync(http, service, Query(http, "company_id"), null, ct));
        credits.MapGet("/grants/company/count", (HttpContext http, CreditService service, CancellationToken ct) => CountGrantsAsync(http, service, Query(http, "company_id"), null, ct));
        credits.MapGet("/grants/list", (HttpContext http, CreditService service, CancellationToken ct) => ListGrantsAsync(http, service, null, Query(http, "credit_id"), ct));
        credits.MapGet("/grants/count", (HttpContext http, CreditService service, CancellationToken ct) => CountGrantsAsync(http, service, null, Query(http, "credit_id"), ct));
        credits.MapPut("/grants/{grantId}/zero-out", async (HttpContext http, string grantId, ZeroOutRequest? body, CreditService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.ZeroOutAsync(http.Scope(), grantId, body, ct).ConfigureAwait(false))));
    }

    private static void MapPlanGrants(RouteGroupBuilder planGrants)
    {
        planGrants.MapGet("/", async (HttpContext http, PlanCreditGrantService service, CancellationToken ct) =>
        {
            var paging = Paging.From(http.Request);
            var all = await service.ListAsync(http.Scope(), Query(http, "plan_id"), Query(http, "credit_id"), ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Page<PlanCreditGrantRecord>([.. all.Skip(paging.Offset).Take(paging.Limit)], paging));
        });
        planGrants.MapGet("/count", async (HttpContext http, PlanCreditGrantService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new CountResult((await service.ListAsync(http.Scope(), Query(http, "plan_id"), Query(http, "credit_id"), ct).ConfigureAwait(false)).Count))));
        planGrants.MapPost("/", async (HttpContext http, PlanCreditGrantRequest body, PlanCreditGrantService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        planGrants.MapGet("/{planGrantId}", async (HttpContext http, string planGrantId, PlanCreditGrantService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope(), planGrantId, ct).ConfigureAwait(false))));
        planGrants.MapPut("/{planGrantId}", async (HttpContext http, string planGrantId, PlanCreditGrantRequest body, PlanCreditGrantService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateAsync(http.Scope(), planGrantId, body, ct).ConfigureAwait(false))));
        planGrants.MapDelete("/{planGrantId}", async (HttpContext http, string planGrantId, PlanCreditGrantService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), planGrantId, ct).ConfigureAwait(false), "plan credit grant"));
    }

    private static void MapReservations(RouteGroupBuilder reservations)
    {
        reservations.MapPost("/", async (
            HttpContext http, ReserveRequest body, CreditService credits, CreditTypeService creditTypes, CreditSpendPolicyService policies, CreditReservations service, TimeProvider time,
            CancellationToken ct) =>
        {
            var scope = http.Scope();
            var company = await credits.RequireCompanyAsync(scope, body.CompanyId, ct).ConfigureAwait(false);
            var credit = await creditTypes.RequireAsync(scope.EnvironmentId, body.CreditTypeId, "credit_type_id", ct).ConfigureAwait(false);
            var amount = CreditService.Positive(body.Amount, "amount");
            await policies.EnforceAsync(scope.EnvironmentId, company.Id, null, credit.Id, amount, "amount", ct).ConfigureAwait(false);
            var expiresAt = service.ExpiryOf(body.ExpiresAt, "expires_at");
            var held = await service.HoldAsync(scope.EnvironmentId, company.Id, credit.Id, amount, expiresAt, Validate.Bounded(body.IdempotencyKey, "idempotency_key"), null, ct)
                .ConfigureAwait(false);
            if (held is null)
            {
                Errors.Unprocessable("amount", "exceeds the available balance");
            }

            return TypedResults.Ok(Envelope.Of(held.ToResponse(time.GetUtcNow())));
        });
        reservations.MapGet("/{reservationId}", async (HttpContext http, string reservationId, CreditReservations service, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of((await service.GetAsync(http.Scope().EnvironmentId, reservationId, ct).ConfigureAwait(false)).ToResponse(time.GetUtcNow()))));
        reservations.MapPut("/{reservationId}/release", async (HttpContext http, string reservationId, CreditReservations service, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of((await service.ReleaseAsync(http.Scope().EnvironmentId, reservationId, ct).ConfigureAwait(false)).ToResponse(time.GetUtcNow()))));
        reservations.MapPut("/{reservationId}/settle", async (HttpContext http, string reservationId, SettleRequest body, CreditReservations service, TimeProvider time, CancellationToken ct) =>
        {
            if (body.Amount is not { } used || used < 0 || !double.IsFinite(used))
            {
                throw new RequestException(StatusCodes.Status400BadRequest, "amount: must be a finite number ≥ 0");
            }

            var settled = await service.SettleAsync(http.Scope().EnvironmentId, reservationId, used, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(settled.ToResponse(time.GetUtcNow())));
        });
    }

    private static void MapLeases(RouteGroupBuilder leases)
    {
        leases.MapPost("/", async (
            HttpContext http, AcquireLeaseRequest body, CreditService credits, CreditTypeService creditTypes, CreditSpendPolicyService policies, CreditLeases service, TimeProvider time,
            CancellationToken ct) =>
        {
            var scope = http.Scope();
            var company = await credits.RequireCompanyAsync(scope, body.CompanyId, ct).ConfigureAwait(false);
            var credit = await creditTypes.RequireAsync(scope.EnvironmentId, body.CreditTypeId, "credit_type_id", ct).ConfigureAwait(false);

            // A lease is a draw: a spend policy caps what it is granted (the client's leases simply come smaller).
            var requested = CreditService.Positive(body.RequestedAmount, "requested_amount");
            requested = Math.Min(requested, await policies.CapAsync(scope.EnvironmentId, company.Id, null, credit.Id, ct).ConfigureAwait(false) ?? double.PositiveInfinity);
            var lease = await service.AcquireAsync(scope.EnvironmentId, company.Id, credit.Id, requested, body.ExpiresAt, ct).ConfigureAwait(false);
            if (lease is null)
            {
                Errors.Unprocessable("requested_amount", "no credits are available");
            }

            return TypedResults.Ok(Envelope.Of(lease.ToLease(time.GetUtcNow())));
        });
        leases.MapGet("/{leaseId}", async (HttpContext http, string leaseId, CreditLeases service, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of((await service.GetAsync(http.Scope().EnvironmentId, leaseId, ct).ConfigureAwait(false)).ToLease(time.GetUtcNow()))));
        leases.MapPut("/{leaseId}/extend", async (
            HttpContext http, string leaseId, ExtendLeaseRequest body, CreditLeases service, CreditSpendPolicyService policies, TimeProvider time, CancellationToken ct) =>
        {
            var additional = CreditService.Positive(body.AdditionalAmount, "additional_amount");
            var held = await service.GetAsync(http.Scope().EnvironmentId, leaseId, ct).ConfigureAwait(false);
            additional = Math.Min(additional, await policies.CapAsync(http.Scope().EnvironmentId, held.CompanyId, null, held.CreditTypeId, ct).ConfigureAwait(false) ?? double.PositiveInfinity);
            var lease = await service.ExtendAsync(http.Scope().EnvironmentId, leaseId, additional, body.ExpiresAt, Validate.Bounded(body.IdempotencyKey, "idempotency_key"), ct)
                .ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(lease.ToLease(time.GetUtcNow())));
        });
        leases.MapPut("/{leaseId}/release", async (HttpContext http, string leaseId, CreditLeases service, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of((await service.ReleaseAsync(http.Scope().EnvironmentId, leaseId, ct).ConfigureAwait(false)).ToLease(time.GetUtcNow()))));
    }

    private static async Task<IResult> ListGrantsAsync(HttpContext http, CreditService service, string? companyId, string? creditId, CancellationToken ct)
    {
        var paging = Paging.From(http.Request);
        return TypedResults.Ok(Envelope.Page(await service.ListGrantsAsync(http.Scope(), companyId, creditId, paging, ct).ConfigureAwait(false), paging));
    }

    private static async Task<IResult> CountGrantsAsync(HttpContext http, CreditService service, string? companyId, string? creditId, CancellationToken ct) =>
        TypedResults.Ok(Envelope.Of(new CountResult(await service.CountGrantsAsync(http.Scope(), companyId, creditId, ct).ConfigureAwait(false))));

    private static string? Query(HttpContext http, string name) => http.Request.Query[name].ToString() is { Length: > 0 } value ? value : null;
}
