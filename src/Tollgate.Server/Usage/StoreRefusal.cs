using Microsoft.Data.Sqlite;
using Npgsql;

namespace Tollgate.Server.Usage;

/// <summary>Tells a commit the store refused because of what it was given from one that failed for its own reasons.</summary>
internal static class StoreRefusal
{
    /// <summary>
    /// True when retrying the same events can only fail again: PostgreSQL's data exceptions (class 22, e.g. a NUL
    /// character in text, a number out of range) and integrity violations (class 23); SQLite's constraint, type and size
    /// errors; a counter or an amount out of range. Anything else — the store unreachable, a deadlock, a timeout — is
    /// the store's, and a retry may succeed.
    /// </summary>
    public static bool IsTheInputsFault(Exception exception) => exception switch
    {
        CounterOverflowException or OverflowException or ArgumentException => true,
        PostgresException postgres => postgres.SqlState.StartsWith("22", StringComparison.Ordinal) || postgres.SqlState.StartsWith("23", StringComparison.Ordinal),
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteConstraint or SqliteMismatch or SqliteTooBig or SqliteRange,
        _ => false,
    };

    /// <summary>The reason given to the client for an event the store refused.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        PostgresException postgres => $"event: the database refused it ({postgres.SqlState}: {postgres.MessageText})",
        CounterOverflowException => $"body.quantity: would take a usage counter past {UsageCounters.Ceiling}, the most a counter holds; the event was not counted",
        _ => $"event: the database refused it ({exception.Message})",
    };

    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;
    private const int SqliteRange = 25;
}
