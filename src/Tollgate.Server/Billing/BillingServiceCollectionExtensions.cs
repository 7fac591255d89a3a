namespace Tollgate.Server.Billing;

/// <summary>
/// Registers the billing area: Stripe connections, import, webhooks, the outbound connector and meter sync. Its hosted
/// services start in this order: the importer, the webhook worker, the meter sync.
/// </summary>
internal static class BillingServiceCollectionExtensions
{
    /// <summary>Adds the billing services.</summary>
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.AddSingleton<StripeSyncStatus>();
        services.AddSingleton<StripeConnections>();
        services.AddSingleton<StripeCustomerLocks>();
        services.AddSingleton<BillingCatalogStore>();
        services.AddSingleton<StripeObjectSync>();
        services.AddSingleton<IStripeObjectSync>(sp => sp.GetRequiredService<StripeObjectSync>());
        services.AddSingleton<StripeImporter>();
        services.AddHostedService(sp => sp.GetRequiredService<StripeImporter>());
        services.AddSingleton<BillingMappings>();
        services.AddSingleton<Webhooks.WebhookInbox>();
        services.AddSingleton<Webhooks.WebhookWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Webhooks.WebhookWorker>());
        services.AddSingleton<Webhooks.WebhookReceiver>();
        Outbound.OutboundServices.Add(services);
        services.AddOptions<Meters.MeterSyncOptions>().BindConfiguration("Tollgate:Stripe:Meters")
            .Validate(o => o.IsValid(), "Tollgate:Stripe:Meters: intervals and delays must be positive, BatchSize 1-10000, MaxConcurrency 1-100").ValidateOnStart();
        services.AddSingleton<Meters.BillingMeters>();
        services.AddSingleton<Meters.MeterSync>();
        services.AddHostedService<Meters.MeterSyncService>();
        Push.BillingPushServices.Add(services);
        return services;
    }
}
