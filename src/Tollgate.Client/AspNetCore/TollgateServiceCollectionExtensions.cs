using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tollgate.Client.AspNetCore;

/// <summary><c>services.AddTollgate()</c>: one <see cref="TollgateClient"/> for the application, configured from configuration.</summary>
public static class TollgateServiceCollectionExtensions
{
    /// <summary>The configuration section read: <c>ApiKey</c> and every <see cref="TollgateClientOptions"/> property.</summary>
    public const string SectionName = "Tollgate";

    /// <summary>
    /// Registers a singleton <see cref="TollgateClient"/> with options bound from the <c>Tollgate</c> section
    /// (<c>Tollgate:ApiKey</c>, <c>Tollgate:BaseUrl</c>, <c>Tollgate:UseDatastream</c>, <c>Tollgate:FlagDefaults:sso</c>…),
    /// then completed by <paramref name="client"/> and <paramref name="gate"/>. The application's logger factory is
    /// used; the container disposes the client on shutdown, which delivers the buffered events.
    /// </summary>
    public static IServiceCollection AddTollgate(this IServiceCollection services, Action<TollgateClientOptions>? client = null, Action<TollgateAspNetCoreOptions>? gate = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var gateOptions = services.AddOptions<TollgateAspNetCoreOptions>().BindConfiguration(SectionName);
        var clientOptions = services.AddOptions<TollgateClientOptions>().BindConfiguration(SectionName);
        if (gate is not null)
        {
            gateOptions.Configure(gate);
        }

        if (client is not null)
        {
            clientOptions.Configure(client);
        }

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<TollgateClientOptions>>().Value;
            var apiKey = provider.GetRequiredService<IOptions<TollgateAspNetCoreOptions>>().Value.ApiKey;
            if (string.IsNullOrWhiteSpace(apiKey))
            {
                throw new OptionsValidationException(SectionName, typeof(TollgateAspNetCoreOptions), [$"{SectionName}:ApiKey: is required."]);
            }

            options.LoggerFactory ??= provider.GetService<ILoggerFactory>();
            return new TollgateClient(apiKey, options);
        });
        return services;
    }
}
