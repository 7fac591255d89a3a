using Tollgate.Server.Companies;
using Tollgate.Server.Lifecycle;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>
/// Trials and subscriptions: Schematic's <c>PUT /subscription/{id}/edit-trial-end</c> and <c>GET /company-subscriptions</c>,
/// and Tollgate's <c>POST /companies/{id}/trial</c> (start) and <c>POST /companies/{id}/trial/convert</c>. Secret keys only.
/// </summary>
internal static class TrialEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/companies/{companyId}/trial", async (HttpContext http, string companyId, StartTrialRequest body, TrialService trials, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(BillingSubscriptionViewResponse.From(Subscription(await trials.StartAsync(http.Scope(), companyId, body, ct).ConfigureAwait(false))))))
            .WithTags("Trials");
        api.MapPost("/companies/{companyId}/trial/convert", async (HttpContext http, string companyId, TrialService trials, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(BillingSubscriptionViewResponse.From(Subscription(await trials.ConvertAsync(http.Scope(), companyId, ct).ConfigureAwait(false))))))
            .WithTags("Trials");
        api.MapPut("/subscription/{subscriptionId}/edit-trial-end", async (HttpContext http, string subscriptionId, UpdateTrialEndRequest body, TrialService trials, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(BillingSubscriptionViewResponse.From(Subscription(await trials.EditEndAsync(http.Scope(), subscriptionId, body, ct).ConfigureAwait(false))))))
            .WithTags("Trials");
        api.MapGet("/company-subscriptions", async (HttpContext http, ResourceStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var ids = query.Many("company_ids").ToList();
            if (query.One("company_id") is { } one)
            {
                ids.Add(one);
            }

            var environmentId = http.Scope().EnvironmentId;
            var companies = ids.Count > 0
                ? await store.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, ids, ct).ConfigureAwait(false)
                : await store.ListAllAsync<CompanyRecord>(environmentId, ResourceKinds.Company, ct).ConfigureAwait(false);
            List<CompanySubscriptionResponse> page =
            [
                .. companies.Select(CompanySubscription.Of).OfType<CompanySubscription>().Where(s => !s.IsEnded)
                    .Skip(paging.Offset).Take(paging.Limit).Select(CompanySubscriptionResponse.From),
            ];
            return TypedResults.Ok(new Envelope<IReadOnlyList<CompanySubscriptionResponse>>(page, query.PageParams()));
        }).WithTags("Trials");
    }

    private static CompanySubscription Subscription(CompanyRecord company) =>
        CompanySubscription.Of(company) ?? throw new InvalidOperationException("A company with a trial has a subscription.");
}
