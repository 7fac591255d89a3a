using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Tollgate.Server.Tests.Operations;

/// <summary>The logging defaults hold when the binary runs from a folder without appsettings.json, and settings still override them.</summary>
public sealed class LoggingDefaultsTests
{
    [Fact]
    public async Task WithoutAppsettingsRequestsAreNotLoggedButTollgatesOwnInformationIs()
    {
        await using var server = await BuiltServer.CreateAsync(start: false);
        var loggers = server.App.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("Tollgate.Server.Usage.IngestionPipeline").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.Hosting.Lifetime").IsEnabled(LogLevel.Information));
        Assert.Equal(ConsoleFormatterNames.Simple, server.App.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple);
    }

    [Fact]
    public async Task ASettingStillOverridesTheDefaults()
    {
        await using var server = await BuiltServer.CreateAsync(start: false, "--Logging:LogLevel:Microsoft.AspNetCore=Information");

        Assert.True(server.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task LogFormatJsonWritesOneJsonObjectPerLine()
    {
        await using var server = await BuiltServer.CreateAsync(start: false, "--Tollgate:LogFormat=json");

        Assert.Equal(ConsoleFormatterNames.Json, server.App.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    [Fact]
    public async Task AnUnknownLogFormatIsRefusedByName()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BuiltServer.CreateAsync(start: false, "--Tollgate:LogFormat=xml"));

        Assert.Contains("Tollgate:LogFormat", error.Message, StringComparison.Ordinal);
    }
}
