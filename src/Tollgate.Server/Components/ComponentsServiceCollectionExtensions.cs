namespace Tollgate.Server.Components;

/// <summary>Registers the components area: temporary access tokens, stored components, hydrate and public plans.</summary>
internal static class ComponentsServiceCollectionExtensions
{
    /// <summary>Adds the components services.</summary>
    public static IServiceCollection AddComponents(this IServiceCollection services)
    {
        services.AddOptions<ComponentOptions>().BindConfiguration("Tollgate:Components")
            .Validate(o => o.IsValid(), "Tollgate:Components:TokenLifetime must be positive and at most one day").ValidateOnStart();
        services.AddSingleton<TemporaryAccessTokens>();
        return services;
    }
}
