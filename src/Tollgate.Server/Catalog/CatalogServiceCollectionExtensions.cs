namespace Tollgate.Server.Catalog;

/// <summary>Registers the catalog area: features, plans, plan versions and trait definitions.</summary>
internal static class CatalogServiceCollectionExtensions
{
    /// <summary>Adds the catalog services.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton<CatalogWriter>();
        services.AddSingleton<FeatureService>();
        services.AddSingleton<PlanService>();
        services.AddSingleton<PlanVersionService>();
        services.AddSingleton<TraitDefinitionService>();
        services.AddSingleton<FlagService>();
        services.AddSingleton<CustomPlanService>();
        return services;
    }
}
