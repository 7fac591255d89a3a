using Tollgate.Engine;
using Tollgate.Server.Environments;
using Tollgate.Server.Operations;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// Answers checks (DESIGN.md "How data flows", step 2): key → environment → company and user from the warm index →
/// engine. A warm check reads no database and takes no lock.
/// </summary>
internal sealed class CheckService(RuntimeRegistry runtimes, TimeProvider time)
{
    public const string CompanyNotFound = "Company not found";
    public const string UserNotFound = "User not found";

    public async Task<CheckFlagResponse> CheckAsync(RequestScope scope, string flagKey, CheckRequest? request, CancellationToken cancellationToken)
    {
        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.CompiledFlags.TryGetValue(flagKey, out var flag))
        {
            Errors.NotFound("flag");
        }

        var context = await ResolveAsync(runtime, request, cancellationToken).ConfigureAwait(false);
        PhaseProfile.MarkAmbient("resolve");
        var answer = Check(flag, context);
        PhaseProfile.MarkAmbient("engine");
        return answer;
    }

    /// <summary>
    /// Every flag for one context, with the company's credit balances and plan. <paramref name="exactUsage"/> counts every
    /// committed event (for a push that follows a usage change, which must not answer from the view before it).
    /// </summary>
    public async Task<CheckFlagsResponse> CheckAllAsync(RequestScope scope, CheckRequest? request, CancellationToken cancellationToken, bool exactUsage = false)
    {
        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var context = await ResolveAsync(runtime, request, cancellationToken, exactUsage).ConfigureAwait(false);
        var balances = context.Company?.Credits.At(time.GetUtcNow()).ToDictionary(b => b.Key, b => new CreditBalanceSummary(b.Value.Remaining, b.Value.Reserved, b.Value.Settled));
        return new CheckFlagsResponse([.. catalog.FlagsInOrder.Select(f => Check(catalog.CompiledFlags[f.Key], context))], balances, PlanOf(catalog, context.Company?.Record));
    }

    /// <summary>The company's base plan with its trial (the one on this plan, else none), or null without a plan.</summary>
    private static CheckPlanResponse? PlanOf(CatalogSnapshot catalog, Companies.CompanyRecord? company)
    {
        if (company?.BasePlanId is not { } planId || !catalog.Plans.TryGetValue(planId, out var plan))
        {
            return null;
        }

        var trial = Companies.TrialState.Of(company) is { } state && state.PlanId == planId ? state : (Companies.TrialState?)null;
        return new CheckPlanResponse(plan.Id, plan.Name, trial?.End, trial?.Status);
    }

    private CheckFlagResponse Check(CompiledFlag flag, Context context)
    {
        if (context.Missing is { } reason)
        {
            return Unanswered(flag, reason);
        }

        var result = flag.Check(context.Company?.Compiled, context.User?.Compiled, context.Options, time.GetUtcNow());
        return CheckResponseMapper.ToResponse(result);
    }

    /// <summary>The answer when the company or user asked about does not exist: the flag's default, with why.</summary>
    public static CheckFlagResponse Unanswered(CompiledFlag flag, string reason) =>
        new(flag.Key, flag.DefaultValue, reason, flag.Id, null, null, null, null, null, null, null, null, null, null, null);

    private static async Task<Context> ResolveAsync(EnvironmentRuntime runtime, CheckRequest? request, CancellationToken cancellationToken, bool exactUsage = false)
    {
        var options = Preflight(request?.Preflight);
        CompanyView? company = null;
        UserView? user = null;
        if (request?.Company is { Count: > 0 } companyKeys)
        {
            company = await runtime.FindCompanyAsync(companyKeys, cancellationToken, exactUsage).ConfigureAwait(false);
            if (company is null)
            {
                return new Context(null, null, options, CompanyNotFound);
            }
        }

        if (request?.User is { Count: > 0 } userKeys)
        {
            user = await runtime.FindUserAsync(userKeys, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                return new Context(null, null, options, UserNotFound);
            }
        }

        return new Context(company, user, options, null);
    }

    private static CheckOptions? Preflight(PreflightRequest? preflight)
    {
        if (preflight is null)
        {
            return null;
        }

        if (preflight.Usage is < 0)
        {
            Errors.BadRequest("preflight.usage", "cannot be negative");
        }

        if (preflight.EventUsage is { } eventUsage)
        {
            Validate.Required(eventUsage.EventSubtype, "preflight.event_usage.event_subtype");
            if (eventUsage.Quantity is not >= 0)
            {
                Errors.BadRequest("preflight.event_usage.quantity", "must be a whole number ≥ 0");
            }
        }

        if (preflight.CreditCost?.FirstOrDefault(c => c.Value < 0 || !double.IsFinite(c.Value)) is { Key: not null } bad)
        {
            Errors.BadRequest($"preflight.credit_cost.{bad.Key}", "must be a finite number ≥ 0");
        }

        return new CheckOptions
        {
            Usage = preflight.Usage,
            EventUsage = preflight.EventUsage is { } e ? new EventUsage { EventSubtype = e.EventSubtype!, Quantity = e.Quantity!.Value } : null,
            CreditCost = preflight.CreditCost,
        };
    }

    private sealed record Context(CompanyView? Company, UserView? User, CheckOptions? Options, string? Missing);
}
