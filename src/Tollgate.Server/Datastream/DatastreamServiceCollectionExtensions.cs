namespace Tollgate.Server.Datastream;

/// <summary>Registers the datastream area: the live connections and their fan-out from the change feed.</summary>
internal static class DatastreamServiceCollectionExtensions
{
    public static IServiceCollection AddDatastream(this IServiceCollection services)
    {
        services.AddSingleton<DatastreamHub>();
        return services;
    }

    /// <summary>
    /// WebSockets for the datastream and the browser SDK's bootstrap, with a server ping every 30 s (Schematic's
    /// datastream server's interval): idle connections stay open through proxies, and dead ones are found.
    /// </summary>
    public static IApplicationBuilder UseDatastreamWebSockets(this IApplicationBuilder app) =>
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30), KeepAliveTimeout = TimeSpan.FromSeconds(40) });
}
