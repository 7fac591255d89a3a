using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Tollgate.Server.Api;
using Tollgate.Server.Audit;
using Tollgate.Server.Billing;
using Tollgate.Server.Catalog;
using Tollgate.Server.Catalogs;
using Tollgate.Server.Companies;
using Tollgate.Server.Components;
using Tollgate.Server.Components.Checkout;
using Tollgate.Server.Credits;
using Tollgate.Server.DataExports;
using Tollgate.Server.Demo;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Lifecycle;
using Tollgate.Server.Retention;
using Tollgate.Server.Storage;
using Tollgate.Server.Subscriptions;
using Tollgate.Server.Usage;

namespace Tollgate.Server;

/// <summary>
/// The Tollgate server as an embeddable object: <see cref="Build"/> makes the application (tests and benchmarks start the
/// real thing in-process); <c>Program</c> only runs it.
/// </summary>
public static class TollgateServer
{
    /// <summary>Builds the application from command-line arguments and configuration.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(CommandLine.Normalize(args));
        Operations.OperationsSetup.AddConfigurationDefaults(builder);
        builder.Configuration.AddEnvironmentVariables();
        if (Environment.GetEnvironmentVariable("TOLLGATE_API_KEY") is { Length: > 0 } apiKey)
        {
            builder.Configuration["Tollgate:ApiKey"] = apiKey;
        }

        if (Environment.GetEnvironmentVariable("TOLLGATE_MASTER_KEY") is { Length: > 0 } masterKey)
        {
            builder.Configuration["Tollgate:MasterKey"] = masterKey;
        }

        if (Environment.GetEnvironmentVariable("TOLLGATE_POSTGRES") is { Length: > 0 } postgres)
        {
            builder.Configuration["Tollgate:Storage:Provider"] = "postgres";
            builder.Configuration["Tollgate:Storage:ConnectionString"] = postgres;
        }

        configure?.Invoke(builder);
        AddServices(builder);
        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    /// <summary>Migrates, bootstraps and serves until shutdown.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = Build(args);
        var bootstrap = app.Services.GetRequiredService<Bootstrap>();
        await bootstrap.RunAsync(app.Lifetime.ApplicationStopping).ConfigureAwait(false);
        app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app, bootstrap.NewKey, bootstrap.ConsoleSetupToken));
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TollgateOptions>().BindConfiguration("Tollgate");
        services.TryAddSingleton(TimeProvider.System);
        services.AddStorage(builder.Environment.ContentRootPath);
        services.AddEnvironments();
        services.AddAudit();
        services.AddEvaluation();
        services.AddCatalog();
        services.AddCompanies();
        services.AddLifecycle();
        services.AddUsage();
        services.AddCredits();
        services.AddCatalogs();
        services.AddDataExports();
        Secrets.SecretProtection.Add(builder);
        services.AddBilling();
        PlanMigrations.PlanMigrationsServiceCollectionExtensions.AddPlanMigrations(services);
        services.AddRetention();
        services.AddDemo();
        services.AddSubscriptions();
        Notifications.NotificationsServiceCollectionExtensions.AddNotifications(services);
        services.AddComponents();
        services.AddComponentCheckout();
        Insights.InsightsServiceCollectionExtensions.AddInsights(services);
        services.AddSingleton<Bootstrap>();
        services.AddApi();
        Datastream.DatastreamServiceCollectionExtensions.AddDatastream(services);
        WebConsole.WebConsoleSetup.Add(builder);
        Operations.OperationsSetup.AddServices(builder);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("Tollgate:MaxRequestBodyBytes") ?? 1 << 20);
    }

    private static void MapEndpoints(WebApplication app)
    {
        Operations.RequestProfiling.Use(app);
        Operations.OperationsSetup.UseForwardedHeaders(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeBodies.WriteAsync);
        // Before routing: its content-type matching would otherwise pick the 415 endpoint for a form-labelled JSON body.
        app.UseLenientJsonContentType();
        Datastream.DatastreamServiceCollectionExtensions.UseDatastreamWebSockets(app);
        app.UseRouting();
        // Before keys and rate limits: a preflight carries no key (Components/ComponentCors).
        app.UseCors();
        Operations.OperationsSetup.UseRateLimits(app);
        app.UseRequestBodyLimit(app.Services.GetRequiredService<IOptions<TollgateOptions>>().Value.MaxRequestBodyBytes);
        app.UseApiKeys();
        WebConsole.WebConsoleSetup.Use(app);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Tollgate API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription();
        Operations.OperationsSetup.MapEndpoints(app);
        WebConsole.WebConsoleSetup.Map(app);

        EventEndpoints.MapCapture(app);
        BrowserEndpoints.Map(app).RequireCors(ComponentCors.PolicyName);
        StripeWebhookEndpoints.MapReceiver(app);
        var api = app.MapGroup(string.Empty).RequireApiKey();
        EnvironmentEndpoints.Map(api);
        CatalogEndpoints.Map(api);
        PlanVersionEndpoints.Map(api);
        CompanyEndpoints.Map(api);
        PlanGroupEndpoints.Map(api);
        TrialEndpoints.Map(api);
        CheckEndpoints.Map(api);
        EventEndpoints.Map(api);
        UsageEndpoints.Map(api);
        ConsumeEndpoints.Map(api);
        CreditEndpoints.Map(api);
        StripeConnectionEndpoints.Map(api);
        BillingEndpoints.Map(api);
        StripeWebhookEndpoints.Map(api);
        StripeOutboundEndpoints.Map(api);
        BillingMeterEndpoints.Map(api);
        BillingPushEndpoints.Map(api);
        BillingAccountEndpoints.Map(api);
        AuditEndpoints.Map(api);
        PersonalDataEndpoints.Map(api);
        PlanMigrationEndpoints.Map(api);
        FlagEndpoints.Map(api);
        SubscriptionEndpoints.Map(api);
        PlanBundleEndpoints.Map(api);
        ProductCatalogEndpoints.Map(api);
        DataExportEndpoints.Map(api);
        EventLogEndpoints.Map(api);
        EntityEndpoints.Map(api);
        UserUsageEndpoints.Map(api);
        WebhookEndpoints.Map(api);
        DatastreamEndpoints.Map(api);
        OfrepEndpoints.Map(api);
        ComponentTokenEndpoints.Map(api);
        ComponentEndpoints.Map(api);
        ComponentHydrateEndpoints.Map(api);
        ComponentOriginEndpoints.Map(api);
        ComponentCheckoutEndpoints.Map(api);
        ComponentInvoiceEndpoints.Map(api);
        InsightEndpoints.Map(api);
    }
}
