using Microsoft.Extensions.Options;

namespace Tollgate.Server.Storage;

/// <summary>Registers the storage area: the configured database, the document store and the change feed.</summary>
internal static class StorageServiceCollectionExtensions
{
    /// <summary>Adds the storage services; a SQLite data folder without a connection string resolves under <paramref name="contentRoot"/>.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, string contentRoot)
    {
        services.AddSingleton<Database>(sp => DatabaseFactory.Create(sp.GetRequiredService<IOptions<TollgateOptions>>().Value.Storage, contentRoot));
        services.AddSingleton<ResourceStore>();
        services.AddSingleton<ChangeFeed>(sp => sp.GetRequiredService<Database>() is PostgresDatabase postgres
            ? ActivatorUtilities.CreateInstance<PostgresChangeFeed>(sp, postgres)
            : new ChangeFeed(sp.GetRequiredService<ILogger<ChangeFeed>>()));
        services.AddHostedService<ChangeFeedHost>();
        return services;
    }
}
