using Tollgate.Server.Storage;

namespace Tollgate.Server;

/// <summary>Makes the configured database: embedded SQLite by default, PostgreSQL when asked.</summary>
internal static class DatabaseFactory
{
    public static Database Create(StorageOptions options, string contentRoot)
    {
        switch (options.Provider.ToLowerInvariant())
        {
            case "sqlite":
                if (options.ConnectionString is { Length: > 0 } sqlite)
                {
                    return new SqliteDatabase(sqlite);
                }

                var folder = Path.GetFullPath(options.DataDirectory, contentRoot);
                Directory.CreateDirectory(folder);
                return new SqliteDatabase($"Data Source={Path.Combine(folder, "tollgate.db")}");
            case "postgres" or "postgresql":
                return new PostgresDatabase(options.ConnectionString is { Length: > 0 } postgres
                    ? postgres
                    : throw new InvalidOperationException("Tollgate:Storage:ConnectionString (or TOLLGATE_POSTGRES) is required for PostgreSQL."));
            default:
                throw new InvalidOperationException($"Tollgate:Storage:Provider must be sqlite or postgres, not '{options.Provider}'.");
        }
    }
}
