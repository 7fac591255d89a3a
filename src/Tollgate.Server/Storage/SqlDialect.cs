namespace Tollgate.Server.Storage;

/// <summary>The SQL that differs between SQLite and PostgreSQL.</summary>
public sealed class SqlDialect
{
    /// <summary>SQLite.</summary>
    public static readonly SqlDialect Sqlite = new(
        "sqlite",
        autoIncrementKey: "INTEGER PRIMARY KEY AUTOINCREMENT",
        appendKey: "INTEGER PRIMARY KEY",
        jsonArrayElements: static (column, property) => $"json_each({column}, '$.{property}') AS j",
        isAnyOf: static (column, parameter) => $"{column} IN @{parameter}",
        jsonText: static (column, property) => $"json_extract({column}, '$.{property}')",
        insertionOrder: "rowid");

    /// <summary>PostgreSQL.</summary>
    public static readonly SqlDialect Postgres = new(
        "postgres",
        autoIncrementKey: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        appendKey: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        jsonArrayElements: static (column, property) => $"jsonb_array_elements_text({column}::jsonb -> '{property}') AS j(value)",
        isAnyOf: static (column, parameter) => $"{column} = ANY(@{parameter})",
        jsonText: static (column, property) => $"({column}::jsonb ->> '{property}')",
        insertionOrder: "seq");

    private readonly Func<string, string, string> _jsonArrayElements;
    private readonly Func<string, string, string> _isAnyOf;
    private readonly Func<string, string, string> _jsonText;

    private SqlDialect(
        string name,
        string autoIncrementKey,
        string appendKey,
        Func<string, string, string> jsonArrayElements,
        Func<string, string, string> isAnyOf,
        Func<string, string, string> jsonText,
        string insertionOrder)
    {
        InsertionOrder = insertionOrder;
        _jsonText = jsonText;
        _jsonArrayElements = jsonArrayElements;
        _isAnyOf = isAnyOf;
        Name = name;
        AutoIncrementKey = autoIncrementKey;
        AppendKey = appendKey;
    }

    /// <summary>
    /// What ends a <c>SELECT</c> that a transaction reads in order to write back: <c>FOR UPDATE</c> on PostgreSQL, which
    /// holds the rows until commit; nothing on SQLite, whose writes are already one at a time (<see cref="SqliteDatabase"/>).
    /// </summary>
    public string ForUpdate => IsPostgres ? " FOR UPDATE" : string.Empty;

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Name { get; }

    /// <summary>The column definition of a 64-bit auto-incrementing primary key.</summary>
    public string AutoIncrementKey { get; }

    /// <summary>
    /// The key of an append-only log: ascending 64-bit ids, with none of the bookkeeping that guarantees an id is never
    /// reused after the newest row is deleted (SQLite's AUTOINCREMENT costs a write per insert); logs delete no rows.
    /// </summary>
    public string AppendKey { get; }

    /// <summary>
    /// The column of <c>resources</c> that grows with every insert and is kept on update: lists order by
    /// <c>created_at</c>, then by this, so records made in the same millisecond list in the order they were made.
    /// </summary>
    public string InsertionOrder { get; }

    /// <summary>True on PostgreSQL.</summary>
    public bool IsPostgres => ReferenceEquals(this, Postgres);

    /// <summary>
    /// A FROM-clause item, aliased <c>j</c> with a text column <c>value</c>, listing the string elements of the JSON array
    /// <paramref name="property"/> (a trusted constant) of the JSON text in <paramref name="column"/>.
    /// </summary>
    public string JsonArrayElements(string column, string property) => _jsonArrayElements(column, property);

    /// <summary>
    /// Whether <paramref name="column"/> equals one of the array parameter <paramref name="parameter"/> (Dapper expands
    /// <c>IN @list</c> for SQLite; Npgsql takes the array whole).
    /// </summary>
    public string IsAnyOf(string column, string parameter) => _isAnyOf(column, parameter);

    /// <summary>The string property <paramref name="property"/> (a trusted constant) of the JSON text in <paramref name="column"/>.</summary>
    public string JsonText(string column, string property) => _jsonText(column, property);

    /// <summary>
    /// <paramref name="column"/> (a trusted constant) as a term no index is chosen for. SQLite, without statistics, takes
    /// the index that matches the most equalities: a lookup of ids by primary key next to <c>kind = @kind</c> would walk
    /// every row of the kind by the (environment, kind, …) index instead; its unary plus prevents that. PostgreSQL plans
    /// from statistics and gets the column as is.
    /// </summary>
    public string NotIndexed(string column) => IsPostgres ? column : "+" + column;

    /// <summary>
    /// <c>usage_counters</c> as the FROM item of a read of some companies' counters by (environment, company), without
    /// their subtype and period. SQLite, without statistics, takes migration 48's <c>usage_counters_over</c> (environment,
    /// subtype, period, bucket, value, company) for such a read as soon as it reads <c>value</c>: the index covers the row
    /// and matches the environment's equality, so SQLite walks every counter of the environment (0.2–0.4 s a company at
    /// 100,000 companies: each cold check and each company described waited for it). The primary key's index (SQLite
    /// names a table's first unique constraint <c>sqlite_autoindex_&lt;table&gt;_1</c>) is named instead, which makes the
    /// read a range of the company's rows. PostgreSQL plans from statistics and gets the table as is.
    /// </summary>
    public string CountersByCompany => IsPostgres ? "usage_counters" : "usage_counters INDEXED BY sqlite_autoindex_usage_counters_1";
}
