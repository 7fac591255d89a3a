namespace Tollgate.Server.Operations;

/// <summary>
/// What running Tollgate in production needs, registered in one place: logging defaults, telemetry, health checks,
/// per-key rate limits, forwarded headers from known proxies, the home page.
/// </summary>
internal static class OperationsSetup
{
    /// <summary>Runs first, before any other configuration source is read (the logging defaults go beneath them all).</summary>
    public static void AddConfigurationDefaults(WebApplicationBuilder builder) => LoggingDefaults.AddDefaults(builder);

    public static void AddServices(WebApplicationBuilder builder)
    {
        LoggingDefaults.ApplyFormat(builder);
        Telemetry.Add(builder);
        builder.Services.AddHealthChecks().AddCheck<StoreReadiness>(StoreReadiness.Name, tags: [HealthEndpoints.ReadyTag]);
        KeyRateLimits.Add(builder.Services);
        ForwardedHeadersSetup.Configure(builder);
    }

    /// <summary>The first middleware: the client's address and scheme as the trusted proxy saw them.</summary>
    public static void UseForwardedHeaders(WebApplication app)
    {
        if (ForwardedHeadersSetup.IsConfigured(app.Configuration))
        {
            app.UseForwardedHeaders();
        }
    }

    /// <summary>The per-key limits, after routing and before the key is looked up or the body read.</summary>
    public static void UseRateLimits(WebApplication app) => app.UseRateLimiter();

    public static void MapEndpoints(WebApplication app)
    {
        HomePage.Map(app);
        HealthEndpoints.Map(app);
        Telemetry.Map(app);
    }
}
