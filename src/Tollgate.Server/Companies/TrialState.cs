using Tollgate.Stripe;

namespace Tollgate.Server.Companies;

/// <summary>
/// A company's trial as answers show it (<c>trial_end</c>, <c>trial_status</c>), whoever runs it. A Stripe
/// subscription that has a trial end decides: <c>trialing</c> is active, <c>active</c> or <c>past_due</c> after a trial
/// is converted, any other status after a trial is expired. Otherwise the trial Tollgate runs, if the company had one.
/// </summary>
internal readonly record struct TrialState(DateTimeOffset End, string Status, string SubscriptionId, string? PlanId)
{
    /// <summary>The company's trial, or null when it never had one.</summary>
    public static TrialState? Of(CompanyRecord? company)
    {
        // A native trial started after the Stripe subscription ended is the newer one.
        if (company?.Billing is { TrialEnd: { } stripeEnd, SubscriptionId: { } subscriptionId } billing
            && !(company.Trial is not null && StripeSubscriptionStatuses.IsEnded(billing.Status ?? string.Empty)))
        {
            var status = billing.Status switch
            {
                StripeSubscriptionStatuses.Trialing => TrialStatuses.Active,
                StripeSubscriptionStatuses.Active or StripeSubscriptionStatuses.PastDue => TrialStatuses.Converted,
                _ => TrialStatuses.Expired,
            };
            return new TrialState(stripeEnd, status, subscriptionId, company.BasePlanId);
        }

        return company?.Trial is { } trial ? new TrialState(trial.EndsAt, trial.Status, trial.SubscriptionId, trial.PlanId) : null;
    }

    /// <summary>Whether it is running.</summary>
    public bool IsActive => Status == TrialStatuses.Active;
}
