namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>The storage provider a functional test runs the server on.</summary>
public enum StoreKind
{
    /// <summary>Embedded SQLite in a temporary file.</summary>
    Sqlite,

    /// <summary>A fresh database on the test PostgreSQL server (<see cref="TestPostgres"/>).</summary>
    Postgres,
}
