namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>The server on embedded SQLite (a class fixture).</summary>
public sealed class SqliteServer() : TollgateFactory(StoreKind.Sqlite);
