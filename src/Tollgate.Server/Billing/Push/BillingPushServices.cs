namespace Tollgate.Server.Billing.Push;

/// <summary>Registers the pushes from billing systems other than Stripe and the billing records they keep.</summary>
internal static class BillingPushServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<BillingDocuments>();
        services.AddSingleton<BillingCustomerLookup>();
        services.AddSingleton<BillingCatalogPush>();
        services.AddSingleton<BillingCatalogQueries>();
        services.AddSingleton<BillingCustomerPush>();
        services.AddSingleton<BillingCustomerQueries>();
        services.AddSingleton<BillingSubscriptionPush>();
        services.AddSingleton<BillingMeterPush>();
        services.AddSingleton<BillingDocumentPush>();
        services.AddSingleton<BillingProfiles>();
        services.AddSingleton<CompanyBillingDetailsService>();
        services.AddSingleton<ScheduledCheckouts>();
    }
}
