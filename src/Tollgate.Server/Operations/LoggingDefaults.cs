using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;

namespace Tollgate.Server.Operations;

/// <summary>
/// Logging settings that hold wherever the binary runs. A service manager or a container starts the server from a
/// folder without <c>appsettings.json</c>; ASP.NET Core would then log every request at Information (about 700 bytes
/// each, a quarter of check throughput). So the defaults are configuration of the lowest precedence, set in code:
/// an <c>appsettings.json</c>, <c>Logging__*</c> variables or <c>--Logging:*</c> arguments still override them.
/// </summary>
internal static class LoggingDefaults
{
    /// <summary>The configuration key choosing the log format: <c>text</c> (default) or <c>json</c>.</summary>
    public const string FormatKey = "Tollgate:LogFormat";

    /// <summary>The environment variable that sets <see cref="FormatKey"/>.</summary>
    public const string FormatVariable = "TOLLGATE_LOG_FORMAT";

    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Warning",
        ["Logging:LogLevel:Npgsql"] = "Warning",
    };

    /// <summary>Adds the defaults beneath every other configuration source.</summary>
    public static void AddDefaults(WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        if (Environment.GetEnvironmentVariable(FormatVariable) is { Length: > 0 } format)
        {
            builder.Configuration[FormatKey] = format;
        }
    }

    /// <summary>
    /// Switches the console to one JSON object per line when <see cref="FormatKey"/> is <c>json</c>; read when the
    /// logger is made, so every configuration source (and a test host's) has been added by then.
    /// </summary>
    public static void ApplyFormat(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleLoggerOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            if (IsJson(configuration))
            {
                o.FormatterName = ConsoleFormatterNames.Json;
            }
        });
        builder.Services.AddOptions<JsonConsoleFormatterOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            if (IsJson(configuration))
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            }
        });
    }

    private static bool IsJson(IConfiguration configuration) => configuration[FormatKey]?.ToLowerInvariant() switch
    {
        null or "" or "text" => false,
        "json" => true,
        _ => throw new InvalidOperationException($"{FormatKey} (or {FormatVariable}) must be text or json, not '{configuration[FormatKey]}'."),
    };
}
