namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>The server on a real PostgreSQL (a class fixture): the server <c>TOLLGATE_TEST_POSTGRES</c> names, else a private cluster.</summary>
public sealed class PostgresServer() : TollgateFactory(StoreKind.Postgres);
