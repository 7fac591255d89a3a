namespace Tollgate.Server.Billing.Outbound;

/// <summary>Registers the outbound half of the Stripe connector (one line in <see cref="TollgateServer"/>).</summary>
internal static class OutboundServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<OutboundStatus>();
        services.AddSingleton<PlanPrices>();
        services.AddSingleton<StripeCustomerLink>();
        services.AddSingleton<StripeCatalogPush>();
        services.AddSingleton<CreatedCheckoutSessions>();
        services.AddSingleton<StripeCheckoutService>();
        services.AddSingleton<StripeSubscriptionChangeService>();
        services.AddSingleton<PlanMigrations.IPlanMigrationBilling, StripePlanMigrationBilling>();
        services.AddSingleton<StripeTrialEnds>();
    }
}
