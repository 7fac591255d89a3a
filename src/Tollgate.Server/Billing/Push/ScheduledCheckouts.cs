using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// Scheduled checkouts (<c>/scheduled-checkout</c>): a company's move from one plan to another, to run after a set time.
/// Created <c>pending</c>; while pending its time may change or it may be <c>cancelled</c>. Tollgate records them; it
/// does not run them (no worker moves the company; see the README).
/// </summary>
internal sealed class ScheduledCheckouts(ResourceStore store, BillingDocuments documents, RuntimeRegistry runtimes, TimeProvider time)
{
    private static readonly string[] Statuses = ["cancelled", "error", "executing", "pending", "success"];

    public async Task<ScheduledCheckoutRecord> CreateAsync(RequestScope scope, CreateScheduledCheckoutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var companyId = Validate.Required(request.CompanyId, "company_id");
        var fromPlanId = Validate.Required(request.FromPlanId, "from_plan_id");
        var toPlanId = Validate.Required(request.ToPlanId, "to_plan_id");
        var executeAfter = request.ExecuteAfter ?? throw new RequestException(StatusCodes.Status400BadRequest, "execute_after: is required");
        if (await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false) is null)
        {
            Errors.BadRequest("company_id", "no company has this id");
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Plans.TryGetValue(fromPlanId, out var from) || from.PlanType != PlanType.Plan)
        {
            Errors.BadRequest("from_plan_id", "must name an existing plan (not an add-on)");
        }

        if (!catalog.Plans.TryGetValue(toPlanId, out var to) || to.PlanType != PlanType.Plan)
        {
            Errors.BadRequest("to_plan_id", "must name an existing plan (not an add-on)");
        }

        if (fromPlanId == toPlanId)
        {
            Errors.BadRequest("to_plan_id", "must differ from from_plan_id");
        }

        var now = time.GetUtcNow();
        var record = new ScheduledCheckoutRecord
        {
            Id = Ids.New("schk"),
            CompanyId = companyId,
            FromPlanId = fromPlanId,
            ToPlanId = toPlanId,
            ExecuteAfter = executeAfter,
            Status = "pending",
            ActorType = "api_key",
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await documents.SaveAsync(scope, ResourceKinds.ScheduledCheckout, record.Id, null, companyId, companyId, null, record, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ScheduledCheckoutRecord> GetAsync(string environmentId, string id, CancellationToken cancellationToken) =>
        await store.GetAsync<ScheduledCheckoutRecord>(environmentId, ResourceKinds.ScheduledCheckout, id, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "scheduled checkout not found");

    public async Task<IReadOnlyList<ScheduledCheckoutRecord>> ListAsync(string environmentId, ListQuery query, CancellationToken cancellationToken)
    {
        var companyId = query.One("company_id");
        var status = query.One("status") is { } given ? Validate.OneOf(given, "status", [.. Statuses.Select(s => (s, s))]) : null;
        var all = await store.ListAsync<ScheduledCheckoutRecord>(environmentId, ResourceKinds.ScheduledCheckout, companyId, int.MaxValue, 0, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(c => status is null || c.Status == status)];
    }

    /// <summary>Changes a pending checkout's time, or cancels it; anything else is refused (400 naming the field).</summary>
    public async Task<ScheduledCheckoutRecord> UpdateAsync(RequestScope scope, string id, UpdateScheduledCheckoutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = await GetAsync(scope.EnvironmentId, id, cancellationToken).ConfigureAwait(false);
        var status = request.Status is null ? before.Status : Validate.OneOf(request.Status, "status", [.. Statuses.Select(s => (s, s))]);
        if (status != before.Status && (before.Status != "pending" || status != "cancelled"))
        {
            Errors.BadRequest("status", $"a {before.Status} scheduled checkout cannot become {status} (only a pending one may be cancelled)");
        }

        if (request.ExecuteAfter is not null && before.Status != "pending")
        {
            Errors.BadRequest("execute_after", $"only a pending scheduled checkout may be moved; this one is {before.Status}");
        }

        var after = before with { Status = status, ExecuteAfter = request.ExecuteAfter ?? before.ExecuteAfter, UpdatedAt = time.GetUtcNow() };
        return await documents.SaveAsync(scope, ResourceKinds.ScheduledCheckout, id, null, before.CompanyId, before.CompanyId, before, after, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Body of <c>POST /scheduled-checkout</c>.</summary>
public sealed record CreateScheduledCheckoutRequest(string? CompanyId, DateTimeOffset? ExecuteAfter, string? FromPlanId, string? ToPlanId);

/// <summary>Body of <c>PUT /scheduled-checkout/{id}</c>.</summary>
public sealed record UpdateScheduledCheckoutRequest(DateTimeOffset? ExecuteAfter, string? Status);

/// <summary>A scheduled checkout (kind <c>scheduled_checkout</c>, parent = the company), also its answer (Schematic's <c>ScheduledCheckoutResponseData</c>).</summary>
public sealed record ScheduledCheckoutRecord
{
    /// <summary>Tollgate's id (<c>schk_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The company.</summary>
    public required string CompanyId { get; init; }

    /// <summary>The plan it leaves.</summary>
    public required string FromPlanId { get; init; }

    /// <summary>The plan it moves to.</summary>
    public required string ToPlanId { get; init; }

    /// <summary>When it may run.</summary>
    public DateTimeOffset ExecuteAfter { get; init; }

    /// <summary>cancelled, error, executing, pending or success.</summary>
    public required string Status { get; init; }

    /// <summary>Who scheduled it (<c>api_key</c>).</summary>
    public required string ActorType { get; init; }

    /// <summary>When it started running.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Why it failed.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>The billing interval it moves to, when known.</summary>
    public string? ScheduledInterval { get; init; }

    /// <summary>The price it moves to, when known.</summary>
    public long? ScheduledPrice { get; init; }

    /// <summary>When created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
