using System.Reflection;
using Microsoft.AspNetCore.Mvc.Filters;
using Tollgate.Server.Environments;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// Runs before every console page handler: resolves the <see cref="ConsoleContext"/> of a signed-in user, and refuses
/// (403) a write the page does not declare with <see cref="ConsoleWritesAttribute"/> or the user's role may not make.
/// </summary>
internal sealed class ConsoleRequestFilter(EnvironmentStore environments) : IAsyncPageFilter
{
    /// <summary>The cookie holding the environment the user last chose (an id; validated on every request).</summary>
    public const string EnvironmentCookie = "tollgate_console_environment";

    private static readonly object ContextItem = new();

    public async Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context)
    {
        var http = context.HttpContext;
        if (ConsoleAuthentication.CurrentUser(http) is not { } user)
        {
            return;
        }

        var all = await environments.ListEnvironmentsAsync(http.RequestAborted).ConfigureAwait(false);
        var chosen = http.Request.Cookies[EnvironmentCookie];
        var environment = all.FirstOrDefault(e => e.Id == chosen) ?? all[0];
        http.Items[ContextItem] = new ConsoleContext(user, environment, all);
    }

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        {
            return next();
        }

        var declared = context.HandlerMethod?.MethodInfo.GetCustomAttribute<ConsoleWritesAttribute>()
            ?? context.HandlerInstance.GetType().GetCustomAttribute<ConsoleWritesAttribute>();
        var allowed = declared switch
        {
            null => false,
            { Area: ConsoleArea.Public } => true,
            _ => Of(http) is { } console && console.Can(declared.Area),
        };
        if (!allowed)
        {
            context.Result = ConsoleResults.Forbidden(declared is null
                ? "This page changes nothing."
                : $"Your role may not change {Describe(declared.Area)}. Ask an admin or owner for a role that can.");
            return Task.CompletedTask;
        }

        return next();
    }

    /// <summary>The console context of the request, or null when nobody is signed in.</summary>
    public static ConsoleContext? Of(HttpContext http) => http.Items[ContextItem] as ConsoleContext;

    private static string Describe(ConsoleArea area) => area switch
    {
        ConsoleArea.Catalog => "the catalog",
        ConsoleArea.Companies => "companies, overrides or credits",
        ConsoleArea.Operations => "environments, API keys or the Stripe connection",
        ConsoleArea.Team => "the team",
        _ => "this",
    };
}
