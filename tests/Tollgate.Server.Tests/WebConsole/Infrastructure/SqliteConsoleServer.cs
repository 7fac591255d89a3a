using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>The server on embedded SQLite, on a real port, with a browser (a class fixture).</summary>
public sealed class SqliteConsoleServer() : ConsoleServer(StoreKind.Sqlite);
