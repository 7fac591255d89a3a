using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>The server on a real PostgreSQL, on a real port, with a browser (a class fixture).</summary>
public sealed class PostgresConsoleServer() : ConsoleServer(StoreKind.Postgres);
