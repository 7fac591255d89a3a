namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>The server on a real PostgreSQL (a class fixture); fails when <c>TOLLGATE_TEST_POSTGRES</c> is not set.</summary>
public sealed class PostgresServer() : TollgateFactory(StoreKind.Postgres);
