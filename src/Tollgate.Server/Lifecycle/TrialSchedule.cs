using System.Data.Common;
using Dapper;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Lifecycle;

/// <summary>
/// <c>company_trials</c>: the end instants of the trials Tollgate runs, across environments, so the expiry worker can
/// sleep until the next one. The company record holds the trial itself; this row is written with it.
/// </summary>
internal static class TrialSchedule
{
    public static Task SaveAsync(DbConnection connection, DbTransaction transaction, string environmentId, string companyId, CompanyTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return connection.ExecuteAsync(
            """
            INSERT INTO company_trials (environment_id, company_id, subscription_id, status, ends_at)
            VALUES (@environmentId, @companyId, @subscriptionId, @status, @endsAt)
            ON CONFLICT (environment_id, company_id) DO UPDATE SET subscription_id = excluded.subscription_id, status = excluded.status, ends_at = excluded.ends_at
            """,
            new { environmentId, companyId, subscriptionId = trial.SubscriptionId, status = trial.Status, endsAt = trial.EndsAt.ToUnixTimeMilliseconds() },
            transaction);
    }

    /// <summary>The earliest end instant of an active trial, or null when none runs.</summary>
    public static async Task<DateTimeOffset?> NextEndAsync(Database database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var next = await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition("SELECT MIN(ends_at) FROM company_trials WHERE status = 'active'", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return next is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null;
    }

    /// <summary>Active trials that have ended by <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public static async Task<IReadOnlyList<(string EnvironmentId, string CompanyId)>> DueAsync(Database database, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, string)>(
            new CommandDefinition(
                "SELECT environment_id, company_id FROM company_trials WHERE status = 'active' AND ends_at <= @now ORDER BY ends_at LIMIT @limit",
                new { now = now.ToUnixTimeMilliseconds(), limit },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>The company whose trial has this subscription id, or null.</summary>
    public static async Task<string?> CompanyOfSubscriptionAsync(Database database, string environmentId, string subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition(
                "SELECT company_id FROM company_trials WHERE environment_id = @environmentId AND subscription_id = @subscriptionId",
                new { environmentId, subscriptionId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Forgets the row of a company that no longer exists.</summary>
    public static async Task ForgetAsync(Database database, string environmentId, string companyId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            new CommandDefinition("DELETE FROM company_trials WHERE environment_id = @environmentId AND company_id = @companyId", new { environmentId, companyId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
