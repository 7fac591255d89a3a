using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Scale;

/// <summary>
/// Opens a store the way the server does (its own services built from the same arguments, migrations and first-start
/// bootstrap with the given secret key, no demo data), fills its environment, and measures its size. No port is opened.
/// </summary>
internal static class ScaleStore
{
    /// <summary>The secret key of a generated store unless one is given (strong enough for the server's start-up check).</summary>
    public const string DefaultKey = "tg_sk_scale_Qm7Vx2Kp9Lr4Tn8Wz3Yb6Hc1Jd5Fg0Se";

    /// <summary>The console owner a generated store gets with <c>--owner</c>, unless other credentials are given.</summary>
    public const string OwnerEmail = "owner@scale.example";

    /// <summary>Their password (a benchmark's, printed in the README: never use a generated store in production).</summary>
    public const string OwnerPassword = "scale-owner-Jv4Qm8Tz2Rk6";

    public static async Task<(ScaleResult Result, long Bytes)> FillAsync(
        string? dataFolder, string? postgres, string secretKey, ScaleOptions options, (string Email, string Password)? owner, Action<string> progress, CancellationToken ct)
    {
        await using var app = await OpenAsync(dataFolder, postgres, secretKey, ct);
        var apiKey = await app.Services.GetRequiredService<EnvironmentStore>().FindKeyAsync(secretKey, ct)
            ?? throw new InvalidOperationException("The bootstrap did not make the secret key.");
        var result = await ScaleGenerator.GenerateAsync(app.Services, apiKey.EnvironmentId, apiKey.Id, options, progress, ct);
        var database = app.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(ct);
        long bytes;
        if (database.Dialect.IsPostgres)
        {
            bytes = await connection.ExecuteScalarAsync<long>("SELECT pg_database_size(current_database())");
        }
        else
        {
            // Into the main file, so its size is the store's.
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            bytes = new FileInfo(new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource).Length;
        }

        if (owner is { } o)
        {
            progress(await CreateOwnerAsync(app.Services, o.Email, o.Password, ct));
        }

        return (result, bytes);
    }

    /// <summary>Adds the console owner to an existing store (one generated before the console had accounts).</summary>
    public static async Task<string> AddOwnerAsync(string? dataFolder, string? postgres, string email, string password, CancellationToken ct)
    {
        await using var app = await OpenAsync(dataFolder, postgres, null, ct);
        return await CreateOwnerAsync(app.Services, email, password, ct);
    }

    /// <summary>
    /// Writes the projections (<see cref="ScaleProjections"/>) of the environment of <paramref name="secretKey"/> in a store
    /// generated before the generator wrote them; <paramref name="logPhases"/> logs each batch's read, work and write times.
    /// </summary>
    public static async Task<(string EnvironmentId, double Seconds)> WriteProjectionsAsync(
        string? dataFolder, string? postgres, string secretKey, bool logPhases, CancellationToken ct)
    {
        string[] logging = logPhases ? ["--Logging:LogLevel:Tollgate.Server.Companies=Debug", "--Logging:LogLevel:Tollgate.Server.Insights=Debug"] : [];
        await using var app = await OpenAsync(dataFolder, postgres, null, ct, logging);
        var apiKey = await app.Services.GetRequiredService<EnvironmentStore>().FindKeyAsync(secretKey, ct)
            ?? throw new InvalidOperationException("No environment has this secret key: pass the store's --key.");
        return (apiKey.EnvironmentId, await ScaleProjections.WriteAsync(app.Services, apiKey.EnvironmentId, ct));
    }

    /// <summary>The console owner, made the way the first start's set-up link makes it (<see cref="ConsoleAccounts"/>).</summary>
    private static async Task<string> CreateOwnerAsync(IServiceProvider services, string email, string password, CancellationToken ct)
    {
        var accounts = services.GetRequiredService<ConsoleAccounts>();
        var token = await accounts.CreateSetupLinkAsync(ct);
        if (token is null)
        {
            return "The console already has users: no owner made.";
        }

        var user = await accounts.CreateOwnerAsync(token, email, "Scale Owner", password, ct);
        return $"Console owner {user.Email} (password {password}).";
    }

    private static async Task<Microsoft.AspNetCore.Builder.WebApplication> OpenAsync(
        string? dataFolder, string? postgres, string? secretKey, CancellationToken ct, params string[] extraArgs)
    {
        List<string> args = ["--no-demo", "--Logging:LogLevel:Default=Warning", .. extraArgs];
        if (secretKey is not null)
        {
            args.Add($"--Tollgate:ApiKey={secretKey}");
        }

        args.AddRange(postgres is not null ? ["--postgres", postgres] : ["--data", dataFolder!]);
        var app = TollgateServer.Build([.. args]);
        await app.Services.GetRequiredService<Bootstrap>().RunAsync(ct);
        return app;
    }
}
