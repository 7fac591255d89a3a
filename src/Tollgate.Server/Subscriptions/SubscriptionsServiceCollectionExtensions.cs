namespace Tollgate.Server.Subscriptions;

/// <summary>Registers the subscriptions area: manage-plan, scheduled plan changes, the plan change log, invoiced plans and plan prices.</summary>
internal static class SubscriptionsServiceCollectionExtensions
{
    /// <summary>Adds the subscriptions services and the scheduled-change loop.</summary>
    public static IServiceCollection AddSubscriptions(this IServiceCollection services)
    {
        services.AddSingleton<PlanPrices>();
        services.AddSingleton<PlanChangeLog>();
        services.AddSingleton<ScheduledChanges>();
        services.AddSingleton<CustomPlanBillings>();
        services.AddSingleton<ManagePlanService>();
        services.AddSingleton<ScheduledChangeRunner>();
        services.AddHostedService<ScheduledChangeService>();
        services.AddSingleton<PlanBillingService>();
        services.AddSingleton<PlanTraitService>();
        services.AddSingleton<PlanBundleService>();
        services.AddSingleton<BillingLinks>();
        return services;
    }
}
