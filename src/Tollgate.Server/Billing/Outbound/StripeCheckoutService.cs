using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Outbound;

/// <summary>
/// Checkout sessions (a company buys a plan; completing it makes the subscription, which the webhook brings back) and
/// Billing Portal sessions (a company manages its billing).
/// </summary>
internal sealed class StripeCheckoutService(
    StripeConnections connections, ResourceStore store, PlanPrices plans, StripeCustomerLink customers, CreatedCheckoutSessions created, OutboundStatus status)
{
    /// <summary>The longest trial offered at checkout (Stripe's limit is 730 days).</summary>
    public const long MaxTrialDays = 730;

    public async Task<CheckoutSessionResponse> CreateCheckoutAsync(RequestScope scope, CheckoutSessionRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            Errors.BadRequest("body", "is required");
        }

        var company = await CompanyAsync(scope, request.CompanyId, cancellationToken).ConfigureAwait(false);
        var successUrl = Url(request.SuccessUrl, "success_url");
        var cancelUrl = Url(request.CancelUrl, "cancel_url");
        if (request.TrialDays is < 1 or > MaxTrialDays)
        {
            Errors.BadRequest("trial_days", $"must be between 1 and {MaxTrialDays}");
        }

        var connection = await connections.RequireAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        if (company.Billing is { SubscriptionId: { } live, Status: var liveStatus } && liveStatus is not ("canceled" or "incomplete_expired"))
        {
            // A second Checkout would start a second subscription beside the one Tollgate follows.
            Errors.Conflict("company_id", $"the company already has a Stripe subscription ({live}, {liveStatus}); change it with POST /billing/stripe/subscription-changes");
        }

        var choice = await plans.ChooseAsync(scope, request.PlanId, request.PriceId, request.Interval, cancellationToken).ConfigureAwait(false);
        var quantity = PlanPrices.Quantity(choice, request.Seats);
        try
        {
            var customerId = await customers.EnsureAsync(connection, company, cancellationToken).ConfigureAwait(false);
            var lines = new List<CheckoutLine> { new(choice.Base.Id, quantity) };
            lines.AddRange(choice.Metered.Select(m => new CheckoutLine(m.Id, null)));
            var metadata = new Dictionary<string, string>
            {
                [StripeCompanyKeys.CompanyIdMetadata] = company.Id,
                [StripeCompanyKeys.EnvironmentIdMetadata] = scope.EnvironmentId,
            };
            if (choice.Base.PlanVersionId is { } versionId)
            {
                metadata[StripeCompanyKeys.PlanVersionIdMetadata] = versionId;
            }

            var session = await new StripeSessions(connection.Account).CreateCheckoutSessionAsync(
                new NewCheckoutSession(customerId, lines, successUrl, cancelUrl, company.Id, metadata, request.TrialDays, request.AllowPromotionCodes == true),
                cancellationToken).ConfigureAwait(false);
            // Recorded before the buyer gets the URL: the completion links the customer to a company only through this.
            await created.RecordAsync(scope.EnvironmentId, new CreatedCheckoutSession(session.Id, company.Id, customerId), cancellationToken).ConfigureAwait(false);
            await status.SucceededAsync(
                scope.EnvironmentId,
                "checkout_session",
                new Dictionary<string, string?> { ["company_id"] = company.Id, ["session_id"] = session.Id, ["price_id"] = choice.Base.Id },
                cancellationToken).ConfigureAwait(false);
            return new CheckoutSessionResponse(session.Id, session.Url, customerId, choice.Base.Id, quantity, session.ExpiresAt);
        }
        catch (StripeCallException e)
        {
            throw await FailAsync(scope, "checkout_session", e, param => param switch
            {
                "success_url" => "success_url",
                "cancel_url" => "cancel_url",
                "subscription_data[trial_period_days]" => "trial_days",
                "line_items[0][quantity]" => "seats",
                "line_items[0][price]" => request.PriceId is null ? "plan_id" : "price_id",
                _ => null,
            }).ConfigureAwait(false);
        }
    }

    public async Task<PortalSessionResponse> CreatePortalAsync(RequestScope scope, PortalSessionRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            Errors.BadRequest("body", "is required");
        }

        var company = await CompanyAsync(scope, request.CompanyId, cancellationToken).ConfigureAwait(false);
        var returnUrl = Url(request.ReturnUrl, "return_url");
        var flow = request.Flow is null ? null : Validate.OneOf(request.Flow, "flow", (PortalFlows.SubscriptionUpdate, PortalFlows.SubscriptionUpdate), (PortalFlows.SubscriptionCancel, PortalFlows.SubscriptionCancel));
        var connection = await connections.RequireAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var customerId = StripeCustomerLink.Existing(company)
            ?? throw new RequestException(StatusCodes.Status409Conflict, "company_id: the company has no Stripe customer yet (start a checkout session, or import it from Stripe)");
        var subscriptionId = company.Billing?.SubscriptionId;
        if (flow is not null && subscriptionId is null)
        {
            Errors.Conflict("flow", "the company has no Stripe subscription to update or cancel");
        }

        try
        {
            var session = await new StripeSessions(connection.Account).CreatePortalSessionAsync(new NewPortalSession(customerId, returnUrl, flow, subscriptionId), cancellationToken).ConfigureAwait(false);
            await status.SucceededAsync(
                scope.EnvironmentId, "portal_session", new Dictionary<string, string?> { ["company_id"] = company.Id, ["session_id"] = session.Id }, cancellationToken).ConfigureAwait(false);
            return new PortalSessionResponse(session.Url, customerId);
        }
        catch (StripeCallException e)
        {
            throw await FailAsync(scope, "portal_session", e, param => param == "return_url" ? "return_url" : null).ConfigureAwait(false);
        }
    }

    /// <summary>The company a body names; 400 when it names none.</summary>
    internal static async Task<CompanyRecord> CompanyAsync(ResourceStore store, RequestScope scope, string? companyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var id = Validate.Required(companyId, "company_id");
        return await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, id, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status400BadRequest, "company_id: must name an existing company");
    }

    /// <summary>An absolute http(s) URL; 400 naming the field.</summary>
    internal static string Url(string? url, string field)
    {
        var value = Validate.Required(url, field);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            Errors.BadRequest(field, "must be an absolute http(s) URL");
        }

        return value;
    }

    private Task<CompanyRecord> CompanyAsync(RequestScope scope, string? companyId, CancellationToken cancellationToken) => CompanyAsync(store, scope, companyId, cancellationToken);

    private async Task<RequestException> FailAsync(RequestScope scope, string operation, StripeCallException e, Func<string, string?> fieldOfParam)
    {
        var failure = OutboundFailures.From(e, fieldOfParam);
        await status.FailedAsync(scope.EnvironmentId, operation, failure.Message, CancellationToken.None).ConfigureAwait(false);
        return failure;
    }
}
