using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// The console: Razor Pages rendered by the server under <c>/console</c> (each page declares its full route), signed in
/// with a cookie, every form protected by antiforgery, every write checked by role (<see cref="ConsoleRequestFilter"/>).
/// </summary>
internal static class WebConsoleSetup
{
    public static void Add(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ConsoleOptions>().BindConfiguration("Tollgate:Console")
            .Validate(o => o.LockoutThreshold > 0 && o.LockoutDuration > TimeSpan.Zero && o.SignInAttemptsPerMinute > 0, "Tollgate:Console: LockoutThreshold, LockoutDuration and SignInAttemptsPerMinute must be positive")
            .ValidateOnStart();
        services.AddSingleton<ConsoleUserStore>();
        services.AddSingleton<ConsoleAccounts>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<ConsoleRequestFilter>();
        services.AddScoped<CompanyPage.CompanyOverviewReader>();
        services.AddSingleton<CatalogPages.EntitlementEditor>();

        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/WebConsole/Pages";
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToFolder("/Access");
        }).AddMvcOptions(mvc => mvc.Filters.AddService<ConsoleRequestFilter>());
        // No RouteOptions.LowercaseUrls: it lowercases route VALUES too, so a form's action or a redirect built from
        // {flagId} = flag_cCmj… pointed at flag_ccmj…, a different (missing) id. Every page declares its route in
        // lower case already (@page "/console/…"), so generated paths stay lower case without it.
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "tollgate_console_antiforgery";
            antiforgery.HeaderName = "X-CSRF-Token";
        });
        services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>().Configure<IOptions<ConsoleOptions>>((antiforgery, console) =>
            antiforgery.Cookie.SecurePolicy = console.Value.RequireHttpsCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);

        var authentication = services.AddAuthentication(ConsoleAuthentication.Scheme).AddCookie(ConsoleAuthentication.Scheme);
        services.AddOptions<CookieAuthenticationOptions>(ConsoleAuthentication.Scheme).Configure<IOptions<ConsoleOptions>>((cookie, console) =>
            ConsoleAuthentication.Configure(cookie, console.Value));
        ConsoleOpenIdConnect.Add(services, authentication);
        services.AddAuthorization();
    }

    /// <summary>After routing: sessions, authorization, and the console's security headers.</summary>
    public static void Use(WebApplication app)
    {
        ConsoleOpenIdConnect.Use(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use((http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/console"))
            {
                var headers = http.Response.Headers;
                // No inline script anywhere in the console; inline styles are allowed for server-computed widths.
                headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                http.Response.OnStarting(() =>
                {
                    // Server time of the page, for the render-time benchmark and the browser's network panel.
                    http.Response.Headers["Server-Timing"] = $"app;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0}";
                    return Task.CompletedTask;
                });
            }

            return next(http);
        });
    }

    public static void Map(WebApplication app)
    {
        ConsoleAssets.Map(app);
        app.MapRazorPages();
    }
}
