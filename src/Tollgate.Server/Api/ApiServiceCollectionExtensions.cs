using Microsoft.AspNetCore.Http.Json;

namespace Tollgate.Server.Api;

/// <summary>Registers the HTTP API: its JSON, its error answers and its OpenAPI document.</summary>
internal static class ApiServiceCollectionExtensions
{
    /// <summary>Adds the HTTP API's services.</summary>
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ErrorResponses>();
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Tollgate API";
            document.Info.Description = "Schematic-compatible entitlements and checks. Authenticate with the X-Schematic-Api-Key header.";
            return Task.CompletedTask;
        }));
        return services;
    }
}
