namespace Tollgate.Server.Retention;

/// <summary>Registers the retention area: its options and the cleanup loop.</summary>
internal static class RetentionServiceCollectionExtensions
{
    /// <summary>Adds the retention services, the cleanup loop among the hosted services.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration("Tollgate:Retention")
            .Validate(o => o.IsValid(), "Tollgate:Retention: Interval and every period must be positive, BatchSize 1-100000").ValidateOnStart();
        services.AddSingleton<RetentionCleanup>();
        services.AddSingleton<RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        return services;
    }
}
