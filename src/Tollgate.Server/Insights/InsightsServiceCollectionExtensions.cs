using Microsoft.Extensions.Options;

namespace Tollgate.Server.Insights;

/// <summary>Registers the insights area: options, the signal store and refresher, the query service.</summary>
internal static class InsightsServiceCollectionExtensions
{
    /// <summary>Adds the insight services; the refresher among the hosted services. Options are checked once at start.</summary>
    public static IServiceCollection AddInsights(this IServiceCollection services)
    {
        services.AddOptions<InsightOptions>().BindConfiguration("Tollgate:Insights").ValidateOnStart();
        services.AddSingleton<CompanySignalStore>();
        services.AddSingleton<CompanyRevenue>();
        services.AddSingleton<InsightRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<InsightRefresher>());
        services.AddSingleton<InsightService>();
        services.AddSingleton<IValidateOptions<InsightOptions>, InsightOptionsValidation>();
        return services;
    }

    /// <summary>Names the option out of range, instead of a generic message.</summary>
    private sealed class InsightOptionsValidation : IValidateOptions<InsightOptions>
    {
        public ValidateOptionsResult Validate(string? name, InsightOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
