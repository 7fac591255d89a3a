using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace Tollgate.Reliability;

/// <summary>Where the store of a case lives: a SQLite data folder, or a database on the suite's PostgreSQL cluster.</summary>
internal sealed record Store(string Kind, string Location)
{
    public bool IsPostgres => Kind == "postgres";

    public override string ToString() => Kind;
}

/// <summary>
/// What the cases run on: the built server, a private PostgreSQL cluster the suite may restart and whose backends it
/// may terminate (never a shared one), and a scratch folder. Each case gets fresh databases and its own API key.
/// </summary>
internal sealed class Lab(string serverDll, string postgres, string pgData, string pgBin, string scratch)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public string ServerDll => serverDll;

    /// <summary>A new random secret key of the default environment (48 characters, 192 random bits).</summary>
    public static string NewApiKey() => "tg_sk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>A fresh store of the kind: an empty data folder, or an empty database.</summary>
    public async Task<Store> NewStoreAsync(string kind, string name)
    {
        var unique = $"{name}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        if (kind == "sqlite")
        {
            var folder = Path.Combine(scratch, unique);
            Directory.CreateDirectory(folder);
            return new Store(kind, folder);
        }

        await using var connection = new NpgsqlConnection(Unpooled(postgres));
        await connection.OpenAsync().ConfigureAwait(false);
        await connection.ExecuteAsync($"CREATE DATABASE \"{unique}\"").ConfigureAwait(false);
        return new Store("postgres", ConnectionStringOf(unique));
    }

    /// <summary>Starts a node on the store with the key as its default environment's secret key.</summary>
    public Task<Node> StartNodeAsync(Store store, string name, string apiKey, CancellationToken cancellationToken) =>
        Node.StartAsync(serverDll, name, store.IsPostgres ? ["--postgres", store.Location] : ["--data", store.Location], apiKey, StartTimeout, cancellationToken);

    /// <summary>Opens the store's database directly, to count what it holds (or, writable, to set up a state).</summary>
    /// <remarks>Unpooled: a pooled connection would not survive the cases' restarts of PostgreSQL.</remarks>
    public static async Task<System.Data.Common.DbConnection> OpenAsync(Store store, bool readOnly = true)
    {
        System.Data.Common.DbConnection connection = store.IsPostgres
            ? new NpgsqlConnection(Unpooled(store.Location))
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(store.Location, "tollgate.db")};Mode={(readOnly ? "ReadOnly" : "ReadWrite")};Default Timeout=30");
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    /// <summary>Terminates every backend of the store's database but this one's: what a failover or a DBA does.</summary>
    public static async Task<int> TerminateBackendsAsync(Store store)
    {
        await using var connection = new NpgsqlConnection(Unpooled(store.Location));
        await connection.OpenAsync().ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()) AS t").ConfigureAwait(false);
    }

    /// <summary>Restarts the PostgreSQL cluster (fast shutdown: open transactions are rolled back, clients cut off).</summary>
    public async Task RestartPostgresAsync()
    {
        var pgCtl = Path.Combine(pgBin, "pg_ctl");
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : pgCtl) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in (asRoot ? new[] { "-u", "postgres", "--", pgCtl } : []).Concat(["-D", pgData, "-m", "fast", "-w", "-t", "60", "restart"]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("pg_ctl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl restart failed ({process.ExitCode}): {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }

    private static string Unpooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private string ConnectionStringOf(string database) =>
        new NpgsqlConnectionStringBuilder(postgres) { Database = database, MaxPoolSize = 20 }.ConnectionString;
}
