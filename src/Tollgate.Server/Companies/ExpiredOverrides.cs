using System.Globalization;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// The overrides of one feature that have expired at an instant, read as a short list so that a query deciding who has an
/// active override names them instead of parsing every override's JSON expiry (<see cref="CompanyOverrideRecord.IsActiveAt"/>:
/// no expiry, or one after now, is active). Which ones have expired is decided against the server's clock, not the
/// database's.
/// </summary>
internal static class ExpiredOverrides
{
    /// <summary>
    /// The ids of the overrides of <paramref name="featureId"/> expired at <paramref name="now"/>. Migration 53's index
    /// holds the dates' text; its range up to a day after <paramref name="now"/> holds every expired one whatever its
    /// offset or its number of fractional digits (the service stores them in UTC), and each is decided here by its parsed
    /// instant. Overrides without a date are not in the index and are never read.
    /// </summary>
    public static async Task<string[]> IdsAsync(Database database, string environmentId, string featureId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var dialect = database.Dialect;
        var expiry = dialect.JsonText("o.data", "expiration_date");
        var bytewise = dialect.IsPostgres ? $"({expiry} COLLATE \"C\")" : expiry;
        var bound = now.ToUniversalTime().AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'+00:00'", CultureInfo.InvariantCulture);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Id, string Expires)>(new CommandDefinition(
            $"""
            SELECT o.id, {expiry} FROM resources o
            WHERE o.environment_id = @environmentId AND o.kind = '{ResourceKinds.CompanyOverride}' AND o.override_feature_id = @featureId
                AND {expiry} IS NOT NULL AND {bytewise} <= @bound
            """,
            new { environmentId, featureId, bound },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows
            .Where(r => DateTimeOffset.Parse(r.Expires, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) <= now)
            .Select(r => r.Id)];
    }
}
