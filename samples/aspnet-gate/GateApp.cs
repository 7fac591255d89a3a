using Tollgate.Client.AspNetCore;

namespace AspNetGate;

/// <summary>The sample app, built in one place so that its test starts exactly what <c>Program</c> runs.</summary>
public static class GateApp
{
    /// <summary>The header this sample takes the company from. A real app takes it from the signed-in user's claims.</summary>
    public const string CompanyHeader = "X-Company";

    /// <summary>Builds the app: Tollgate from the <c>Tollgate</c> configuration section, two gated endpoints and a controller.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        // The application part names this assembly, so the controllers are found when a test host starts the app too.
        builder.Services.AddControllers().AddApplicationPart(typeof(GateApp).Assembly);
        builder.Services.AddTollgate(gate: options => options.CompanyKeys = http =>
            http.Request.Headers[CompanyHeader].ToString() is { Length: > 0 } company ? new Dictionary<string, string> { ["id"] = company } : null);

        var app = builder.Build();

        // Metered: allowed while the company's plan has calls left, and each successful call is counted.
        app.MapGet("/search", (string? q) => TypedResults.Ok(new { query = q, results = Array.Empty<string>() }))
            .RequireEntitlement("api-calls")
            .TrackUsage("api_call");

        // A plan feature: 402 with the plans that include it for everyone else.
        app.MapGet("/sso/config", () => TypedResults.Ok(new { provider = "okta" }))
            .RequireEntitlement("sso");

        app.MapControllers();
        return app;
    }
}
