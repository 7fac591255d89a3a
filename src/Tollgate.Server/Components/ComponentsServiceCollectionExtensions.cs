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
        services.AddSingleton<ComponentService>();
        services.AddSingleton<ComponentPlans>();
        services.AddSingleton<ComponentUsageBasedEntitlements>();
        services.AddSingleton<ComponentHydrator>();
        services.AddSingleton<ComponentOrigins>();
        services.AddSingleton<ComponentInvoices>();
        services.AddSingleton<ComponentBilling>();
        services.AddSingleton<ComponentCredits>();
        services.AddCors();
        // The only CORS policies are the browser routes' (ComponentCors.PolicyName), decided per request.
        services.AddSingleton<Microsoft.AspNetCore.Cors.Infrastructure.ICorsPolicyProvider, ComponentCors>();
        return services;
    }
}
