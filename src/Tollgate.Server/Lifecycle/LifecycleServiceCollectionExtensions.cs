namespace Tollgate.Server.Lifecycle;

/// <summary>Registers the lifecycle area: the plan group, trials and the trial expiry worker.</summary>
internal static class LifecycleServiceCollectionExtensions
{
    /// <summary>Adds the lifecycle services, the trial expiry worker among the hosted services.</summary>
    public static IServiceCollection AddLifecycle(this IServiceCollection services)
    {
        services.AddSingleton<PlanGroupService>();
        services.AddSingleton<TrialWakeSignal>();
        services.AddSingleton<TrialService>();
        services.AddSingleton<TrialExpiryService>();
        services.AddHostedService(sp => sp.GetRequiredService<TrialExpiryService>());
        return services;
    }
}
