namespace Tollgate.Server.Storage;

/// <summary>The SQL that differs between SQLite and PostgreSQL.</summary>
public sealed class SqlDialect
{
    /// <summary>SQLite.</summary>
    public static readonly SqlDialect Sqlite = new("sqlite", autoIncrementKey: "INTEGER PRIMARY KEY AUTOINCREMENT");

    /// <summary>PostgreSQL.</summary>
    public static readonly SqlDialect Postgres = new("postgres", autoIncrementKey: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");

    private SqlDialect(string name, string autoIncrementKey)
    {
        Name = name;
        AutoIncrementKey = autoIncrementKey;
    }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Name { get; }

    /// <summary>The column definition of a 64-bit auto-incrementing primary key.</summary>
    public string AutoIncrementKey { get; }
}
