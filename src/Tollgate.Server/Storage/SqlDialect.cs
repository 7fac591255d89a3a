namespace Tollgate.Server.Storage;

/// <summary>The SQL that differs between SQLite and PostgreSQL.</summary>
public sealed class SqlDialect
{
    /// <summary>SQLite.</summary>
    public static readonly SqlDialect Sqlite = new("sqlite", autoIncrementKey: "INTEGER PRIMARY KEY AUTOINCREMENT", appendKey: "INTEGER PRIMARY KEY");

    /// <summary>PostgreSQL.</summary>
    public static readonly SqlDialect Postgres = new("postgres", autoIncrementKey: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", appendKey: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");

    private SqlDialect(string name, string autoIncrementKey, string appendKey)
    {
        Name = name;
        AutoIncrementKey = autoIncrementKey;
        AppendKey = appendKey;
    }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Name { get; }

    /// <summary>The column definition of a 64-bit auto-incrementing primary key.</summary>
    public string AutoIncrementKey { get; }

    /// <summary>
    /// The key of an append-only log: ascending 64-bit ids, with none of the bookkeeping that guarantees an id is never
    /// reused after the newest row is deleted (SQLite's AUTOINCREMENT costs a write per insert); logs delete no rows.
    /// </summary>
    public string AppendKey { get; }

    /// <summary>True on PostgreSQL.</summary>
    public bool IsPostgres => ReferenceEquals(this, Postgres);
}
