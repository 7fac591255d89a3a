namespace Tollgate.Server.Usage;

/// <summary>Registers the usage area: event intake, the ingestion pipeline and its counters, usage reports.</summary>
internal static class UsageServiceCollectionExtensions
{
    /// <summary>Adds the usage services, the ingestion pipeline among the hosted services.</summary>
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.AddSingleton<UsageCounters>();
        services.AddSingleton<IdempotencyWindow>();
        services.AddSingleton<BillableUsageCommitted>();
        services.AddSingleton<IngestionPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestionPipeline>());
        services.AddSingleton<EventIntake>();
        services.AddSingleton<UsageReports>();
        services.AddSingleton<FeatureCompanies>();
        services.AddSingleton<UsageHistory>();
        services.AddSingleton<UsageConsumption>();
        services.AddSingleton<EventLog>();
        return services;
    }
}
