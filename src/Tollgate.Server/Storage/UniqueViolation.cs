using Microsoft.Data.Sqlite;
using Npgsql;

namespace Tollgate.Server.Storage;

/// <summary>
/// Recognises a write refused by a unique index: two requests raced to create the same thing (on PostgreSQL, where
/// writers run concurrently; SQLite serialises them). The loser may retry or answer 409.
/// </summary>
public static class UniqueViolation
{
    private const int SqliteConstraint = 19;

    /// <summary>True when <paramref name="exception"/> is a unique-key violation of either provider.</summary>
    public static bool Is(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint && sqlite.Message.Contains("UNIQUE", StringComparison.Ordinal),
        _ => false,
    };
}
