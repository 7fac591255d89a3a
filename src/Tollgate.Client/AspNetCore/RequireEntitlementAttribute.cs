using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Tollgate.Client.AspNetCore;

/// <summary>
/// For MVC controllers and actions: lets a request through only when <see cref="FlagKey"/> is true for its company and
/// user; otherwise answers 402 with <see cref="UpgradeRequired"/>, as <c>.RequireEntitlement</c> does for endpoints.
/// </summary>
/// <param name="flagKey">The flag (feature) key.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequireEntitlementAttribute(string flagKey) : Attribute, IAsyncActionFilter
{
    /// <summary>The flag (feature) key.</summary>
    public string FlagKey { get; } = flagKey;

    /// <inheritdoc />
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (await EntitlementGate.CheckAsync(context.HttpContext, FlagKey).ConfigureAwait(false) is { } refusal)
        {
            context.Result = new HttpResultActionResult(refusal);
            return;
        }

        await next().ConfigureAwait(false);
    }

    private sealed class HttpResultActionResult(Microsoft.AspNetCore.Http.IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
