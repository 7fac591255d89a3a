using Microsoft.Extensions.Options;
using Tollgate.Server.Demo;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server;

/// <summary>
/// Start-up: migrate the schema; resume Stripe imports a stop interrupted; on an empty database create the default
/// environment, its secret key (the configured one, or a new one that is printed once) and, if enabled, the demo data.
/// </summary>
internal sealed partial class Bootstrap(
    Database database, EnvironmentStore environments, DemoData demo, Billing.StripeImporter imports, IOptions<TollgateOptions> options, ILogger<Bootstrap> logger)
{
    /// <summary>The key made on this start, to be printed with the URL; null when nothing was made.</summary>
    public string? NewKey { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var applied = await Migrations.ApplyAsync(database, cancellationToken).ConfigureAwait(false);
        LogStorage(logger, database.Description, Migrations.Latest, applied.Count);
        if (options.Value.MasterKey is not { Length: > 0 })
        {
            LogNoMasterKey(logger);
        }

        await imports.ResumeInterruptedAsync(cancellationToken).ConfigureAwait(false);
        var existing = await environments.ListEnvironmentsAsync(cancellationToken).ConfigureAwait(false);
        var configuredKey = options.Value.ApiKey is { Length: > 0 } key ? key : null;
        if (existing.Count > 0)
        {
            // A key given at start must work even against an existing database.
            if (configuredKey is not null && await environments.AuthenticateAsync(configuredKey, cancellationToken).ConfigureAwait(false) is null)
            {
                await environments.CreateKeyAsync(existing[0].Id, ApiKeyKind.Secret, "TOLLGATE_API_KEY", configuredKey, null, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var development = await environments.CreateEnvironmentAsync("development", cancellationToken).ConfigureAwait(false);
        var (record, secret) = await environments.CreateKeyAsync(development.Id, ApiKeyKind.Secret, "default", configuredKey, null, cancellationToken).ConfigureAwait(false);
        NewKey = configuredKey is null ? secret : null;
        if (options.Value.Demo)
        {
            await demo.LoadAsync(new RequestScope(development.Id, record.Id, ApiKeyKind.Secret), cancellationToken).ConfigureAwait(false);
            LogDemo(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: {Database}, schema version {Version} ({Applied} migrations applied now)")]
    private static partial void LogStorage(ILogger logger, string database, int version, int applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TOLLGATE_MASTER_KEY is not set: secrets kept for integrations (a Stripe API key, a webhook secret) are encrypted with keys stored unencrypted in the same database. Set it (the same on every node) in production.")]
    private static partial void LogNoMasterKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the demo data set into the development environment")]
    private static partial void LogDemo(ILogger logger);
}
