using Microsoft.Extensions.Options;
using Tollgate.Server.Demo;
using Tollgate.Server.Environments;
using Tollgate.Server.Secrets;
using Tollgate.Server.Startup;
using Tollgate.Server.Storage;

namespace Tollgate.Server;

/// <summary>
/// Start-up: check the configured secret key; migrate the schema; re-encrypt stored keys still under the old master-key
/// derivation; on an empty database create the default environment, its secret key (the configured one, or a new one
/// handed to <see cref="StartupBanner"/>) and, if enabled, the demo data; resume Stripe imports a stop interrupted.
/// </summary>
/// <remarks>
/// Nodes sharing one PostgreSQL may start together: the migrations and the first-start writes run under one advisory
/// lock (<see cref="AdvisoryLockNames.Bootstrap"/>), so the second node waits, then finds the schema migrated and the environment made.
/// </remarks>
internal sealed partial class Bootstrap(
    Database database,
    EnvironmentStore environments,
    DemoData demo,
    Billing.StripeImporter imports,
    MasterKeyUpgrade masterKeyUpgrade,
    WebConsole.Accounts.ConsoleAccounts consoleAccounts,
    IOptions<TollgateOptions> options,
    ILogger<Bootstrap> logger)
{
    /// <summary>The key made on this start, to be printed with the URL; null when nothing was made.</summary>
    public string? NewKey { get; private set; }

    /// <summary>The one-time token of the link that creates the console's owner; null once the console has users.</summary>
    public string? ConsoleSetupToken { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var configuredKey = options.Value.ApiKey is { Length: > 0 } key ? key : null;
        if (configuredKey is not null)
        {
            // Before anything is written: a refused start leaves the database as it was.
            ApiKeyStrength.Check(configuredKey);
        }

        await using (await AdvisoryLock.AcquireAsync(database, AdvisoryLockNames.Bootstrap, cancellationToken).ConfigureAwait(false))
        {
            var applied = await Migrations.ApplyAsync(database, cancellationToken).ConfigureAwait(false);
            LogStorage(logger, database.Description, Migrations.Latest, applied.Count);
            if (options.Value.MasterKey is not { Length: > 0 })
            {
                LogNoMasterKey(logger);
            }

            await masterKeyUpgrade.RunAsync(cancellationToken).ConfigureAwait(false);
            await EnsureEnvironmentAsync(configuredKey, cancellationToken).ConfigureAwait(false);
            ConsoleSetupToken = await consoleAccounts.CreateSetupLinkAsync(cancellationToken).ConfigureAwait(false);
        }

        await imports.ResumeInterruptedAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureEnvironmentAsync(string? configuredKey, CancellationToken cancellationToken)
    {
        var existing = await environments.ListEnvironmentsAsync(cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            // A key given at start must work even against an existing database — unless it was revoked: a revoked
            // key is one someone decided must stop working, so the start is refused rather than the key revived.
            if (configuredKey is null)
            {
                return;
            }

            var found = await environments.FindKeyAsync(configuredKey, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                await environments.CreateKeyAsync(existing[0].Id, ApiKeyKind.Secret, "TOLLGATE_API_KEY", configuredKey, null, cancellationToken).ConfigureAwait(false);
            }
            else if (found.RevokedAt is { } revokedAt)
            {
                throw new StartupRefusal(
                    $"TOLLGATE_API_KEY (Tollgate:ApiKey) is the key {found.Id} ({found.KeyHint}), revoked at {revokedAt:u}. A revoked key is not revived: " +
                    "set TOLLGATE_API_KEY to a live key or a new random one, or unset it.");
            }

            return;
        }

        var development = await environments.CreateEnvironmentAsync("development", cancellationToken).ConfigureAwait(false);
        var (record, secret) = await environments.CreateKeyAsync(development.Id, ApiKeyKind.Secret, "default", configuredKey, null, cancellationToken).ConfigureAwait(false);
        NewKey = configuredKey is null ? secret : null;
        if (options.Value.DemoEnabled)
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
