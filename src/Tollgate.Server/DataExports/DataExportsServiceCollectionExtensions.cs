namespace Tollgate.Server.DataExports;

/// <summary>Registers the data-exports area: the API service, the producer and the background worker.</summary>
internal static class DataExportsServiceCollectionExtensions
{
    /// <summary>Adds the data-export services and worker.</summary>
    public static IServiceCollection AddDataExports(this IServiceCollection services)
    {
        services.AddSingleton<DataExportSignal>();
        services.AddSingleton<DataExportService>();
        services.AddSingleton<DataExportProducer>();
        services.AddSingleton<DataExportWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<DataExportWorker>());
        return services;
    }
}
