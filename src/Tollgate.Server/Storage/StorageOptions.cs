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

    /// <summary>
    /// How many ingestion writers commit events at once on PostgreSQL, each a transaction of its own, so that one's
    /// commit overlaps the next one's work. SQLite always has one writer (it serialises writes anyway). Default 1: on the
    /// 2-core development machine, measured warm, 2 to 4 writers spent more CPU per event than 1 (server and PostgreSQL:
    /// smaller commits, more of them) and ingested no more (bench/results/ingest-2026-12-07-h34.md); where PostgreSQL has
    /// cores of its own, raise it only where a measurement shows a gain.
    /// </summary>
    public int IngestionWriters { get; set; } = 1;

    /// <summary>True when <see cref="Provider"/> names PostgreSQL.</summary>
    public bool IsPostgres => Provider.ToLowerInvariant() is "postgres" or "postgresql";
}
