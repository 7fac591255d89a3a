namespace Tollgate.Server.Demo;

/// <summary>Registers the demo area.</summary>
internal static class DemoServiceCollectionExtensions
{
    /// <summary>Adds the demo data seeder (the bootstrap decides whether it runs).</summary>
    public static IServiceCollection AddDemo(this IServiceCollection services)
    {
        services.AddSingleton<DemoData>();
        return services;
    }
}
