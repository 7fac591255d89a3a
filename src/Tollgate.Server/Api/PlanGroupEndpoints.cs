using Tollgate.Server.Lifecycle;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>The environment's plan group: <c>GET</c>, <c>POST</c> and <c>PUT /plan-groups</c> (secret keys only).</summary>
internal static class PlanGroupEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/plan-groups").WithTags("Plan groups");
        groups.MapGet("/", async (HttpContext http, PlanGroupService service, CancellationToken ct) =>
        {
            var query = new Requests.ListQuery(http.Request);
            var counts = query.Bool("include_company_counts");
            var group = await service.GetAsync(http.Scope(), ct).ConfigureAwait(false);
            var parameters = new Dictionary<string, object?>();
            if (counts is not null)
            {
                parameters["include_company_counts"] = counts;
            }

            return TypedResults.Ok(new Envelope<PlanGroupDetailResponse>(await DescribeAsync(http, group, ct).ConfigureAwait(false), parameters));
        });
        groups.MapPost("/", async (HttpContext http, PlanGroupRequest body, PlanGroupService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(PlanGroupResponse.From(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false))), statusCode: StatusCodes.Status201Created));
        groups.MapPut("/{planGroupId}", async (HttpContext http, string planGroupId, PlanGroupRequest body, PlanGroupService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(PlanGroupResponse.From(await service.UpdateAsync(http.Scope(), planGroupId, body, ct).ConfigureAwait(false)))));
    }

    private static async Task<PlanGroupDetailResponse> DescribeAsync(HttpContext http, PlanGroupRecord group, CancellationToken cancellationToken)
    {
        var catalog = await http.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var store = http.RequestServices.GetRequiredService<ResourceStore>();
        var environmentId = http.Scope().EnvironmentId;
        // Base plan and add-ons alike, from the company directory's version tallies: never a count of the company documents.
        var companies = await http.RequestServices.GetRequiredService<Companies.CompanyDirectory>().CompaniesPerPlanAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var billing = await CatalogEndpoints.PlanBillingAsync(store, environmentId, cancellationToken).ConfigureAwait(false);
        return PlanGroupDetailResponse.From(
            group,
            planId => planId is not null && catalog.Plans.TryGetValue(planId, out var plan)
                ? PlanGroupPlanResponse.From(
                    Catalog.PlanResponse.From(plan, catalog, companies.GetValueOrDefault(planId), billing.GetValueOrDefault(planId), PlanGroupRecord.FactsOf(group, planId)),
                    group)
                : null);
    }
}
