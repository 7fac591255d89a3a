namespace Tollgate.Server.Catalogs;

/// <summary>Registers the catalogs area.</summary>
internal static class CatalogsServiceCollectionExtensions
{
    /// <summary>Adds the catalog service.</summary>
    public static IServiceCollection AddCatalogs(this IServiceCollection services)
    {
        services.AddSingleton<CatalogService>();
        return services;
    }
}
