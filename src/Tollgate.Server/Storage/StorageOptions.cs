namespace Tollgate.Server.Storage;

/// <summary>Where Tollgate keeps its data. Bound from the <c>Tollgate:Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary><c>sqlite</c> (default, embedded, one file) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// The connection string. For SQLite it defaults to <c>tollgate.db</c> in <see cref="DataDirectory"/>; for
    /// PostgreSQL it is required (also read from the environment variable <c>TOLLGATE_POSTGRES</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The folder for the embedded SQLite database; created if missing. Default: <c>./data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>True when <see cref="Provider"/> names PostgreSQL.</summary>
    public bool IsPostgres => Provider.ToLowerInvariant() is "postgres" or "postgresql";
}
