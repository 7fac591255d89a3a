using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Tollgate.Server.Api;
using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Demo;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
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
        app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app, bootstrap.NewKey));
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TollgateOptions>().BindConfiguration("Tollgate");
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Database>(sp => DatabaseFactory.Create(sp.GetRequiredService<IOptions<TollgateOptions>>().Value.Storage, builder.Environment.ContentRootPath));
        services.AddSingleton<ResourceStore>();
        services.AddSingleton<ChangeFeed>(sp => sp.GetRequiredService<Database>() is PostgresDatabase postgres
            ? ActivatorUtilities.CreateInstance<PostgresChangeFeed>(sp, postgres)
            : new ChangeFeed(sp.GetRequiredService<ILogger<ChangeFeed>>()));
        services.AddHostedService<ChangeFeedHost>();
        services.AddSingleton<EntityKeys>();
        services.AddSingleton<EnvironmentStore>();
        services.AddSingleton<PublishablePolicies>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RuntimeRegistry>();
        services.AddSingleton<CatalogWriter>();
        services.AddSingleton<FeatureService>();
        services.AddSingleton<PlanService>();
        services.AddSingleton<PlanVersionService>();
        services.AddSingleton<TraitDefinitionService>();
        services.AddSingleton<EntityWriter>();
        services.AddSingleton<EntityFilters>();
        services.AddSingleton<EntityDescriber>();
        services.AddSingleton<CompanyService>();
        services.AddSingleton<UserService>();
        services.AddSingleton<OverrideService>();
        services.AddSingleton<CheckService>();
        services.AddSingleton<UsageCounters>();
        services.AddSingleton<IdempotencyWindow>();
        services.AddSingleton<IngestionPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestionPipeline>());
        services.AddSingleton<EventIntake>();
        services.AddSingleton<UsageReports>();
        services.AddSingleton<UsageConsumption>();
        services.AddSingleton<CreditTypeService>();
        services.AddSingleton<PlanCreditGrantService>();
        services.AddSingleton<CreditService>();
        services.AddSingleton<LedgerService>();
        services.AddSingleton<BalanceGate>();
        services.AddSingleton<CreditReservations>();
        services.AddSingleton<CreditLeases>();
        services.AddSingleton<CreditLedger>();
        services.AddSingleton<CheckAndReserveService>();
        Secrets.SecretProtection.Add(builder);
        services.AddSingleton<Billing.StripeSyncStatus>();
        services.AddSingleton<Billing.StripeConnections>();
        services.AddSingleton<Billing.StripeCustomerLocks>();
        services.AddSingleton<Billing.BillingCatalogStore>();
        services.AddSingleton<Billing.StripeObjectSync>();
        services.AddSingleton<Billing.IStripeObjectSync>(sp => sp.GetRequiredService<Billing.StripeObjectSync>());
        services.AddSingleton<Billing.StripeImporter>();
        services.AddHostedService(sp => sp.GetRequiredService<Billing.StripeImporter>());
        services.AddSingleton<Billing.BillingMappings>();
        services.AddSingleton<Billing.Webhooks.WebhookInbox>();
        services.AddSingleton<Billing.Webhooks.WebhookWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Billing.Webhooks.WebhookWorker>());
        services.AddSingleton<Billing.Webhooks.WebhookReceiver>();
        Billing.Outbound.OutboundServices.Add(services);
        services.AddOptions<Billing.Meters.MeterSyncOptions>().BindConfiguration("Tollgate:Stripe:Meters")
            .Validate(o => o.IsValid(), "Tollgate:Stripe:Meters: intervals and delays must be positive, BatchSize 1-10000, MaxConcurrency 1-100").ValidateOnStart();
        services.AddSingleton<Billing.Meters.BillingMeters>();
        services.AddSingleton<Billing.Meters.MeterSync>();
        services.AddSingleton<BillableUsageCommitted>();
        services.AddHostedService<Billing.Meters.MeterSyncService>();
        services.AddOptions<Retention.RetentionOptions>().BindConfiguration("Tollgate:Retention")
            .Validate(o => o.IsValid(), "Tollgate:Retention: Interval and every period must be positive, BatchSize 1-100000").ValidateOnStart();
        services.AddSingleton<Retention.RetentionCleanup>();
        services.AddSingleton<Retention.RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<Retention.RetentionService>());
        services.AddSingleton<PersonalDataEraser>();
        services.AddSingleton<DemoData>();
        services.AddSingleton<Bootstrap>();
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ErrorResponses>();
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Tollgate API";
            document.Info.Description = "Schematic-compatible entitlements and checks. Authenticate with the X-Schematic-Api-Key header.";
            return Task.CompletedTask;
        }));
        Operations.OperationsSetup.AddServices(builder);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("Tollgate:MaxRequestBodyBytes") ?? 1 << 20);
    }

    private static void MapEndpoints(WebApplication app)
    {
        Operations.OperationsSetup.UseForwardedHeaders(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeBodies.WriteAsync);
        // Before routing: its content-type matching would otherwise pick the 415 endpoint for a form-labelled JSON body.
        app.UseLenientJsonContentType();
        app.UseRouting();
        Operations.OperationsSetup.UseRateLimits(app);
        app.UseRequestBodyLimit(app.Services.GetRequiredService<IOptions<TollgateOptions>>().Value.MaxRequestBodyBytes);
        app.UseApiKeys();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Tollgate API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription();
        Operations.OperationsSetup.MapEndpoints(app);

        EventEndpoints.MapCapture(app);
        StripeWebhookEndpoints.MapReceiver(app);
        var api = app.MapGroup(string.Empty).RequireApiKey();
        EnvironmentEndpoints.Map(api);
        CatalogEndpoints.Map(api);
        PlanVersionEndpoints.Map(api);
        CompanyEndpoints.Map(api);
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
        AuditEndpoints.Map(api);
        PersonalDataEndpoints.Map(api);
    }
}
