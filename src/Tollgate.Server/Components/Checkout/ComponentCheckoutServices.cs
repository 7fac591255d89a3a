namespace Tollgate.Server.Components.Checkout;

/// <summary>Registers the components' checkout (one line in <see cref="TollgateServer"/>).</summary>
internal static class ComponentCheckoutServices
{
    public static IServiceCollection AddComponentCheckout(this IServiceCollection services)
    {
        services.AddSingleton<CheckoutPlanner>();
        services.AddSingleton<ComponentCheckoutService>();
        services.AddSingleton<ComponentPaymentService>();
        services.AddSingleton<ScheduledCheckoutChanges>();
        return services;
    }
}
