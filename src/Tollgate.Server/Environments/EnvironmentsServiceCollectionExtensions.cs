namespace Tollgate.Server.Environments;

/// <summary>Registers the environments area: environments, their API keys and their publishable-key policies.</summary>
internal static class EnvironmentsServiceCollectionExtensions
{
    /// <summary>Adds the environments services.</summary>
    public static IServiceCollection AddEnvironments(this IServiceCollection services)
    {
        services.AddSingleton<EnvironmentStore>();
        services.AddSingleton<PublishablePolicies>();
        return services;
    }
}
