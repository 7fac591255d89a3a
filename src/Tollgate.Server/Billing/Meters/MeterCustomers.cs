using Dapper;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Meters;

/// <summary>The Stripe customers the meter sync bills usage to, read from the companies' keys.</summary>
internal static class MeterCustomers
{
    /// <summary>The Stripe customer of each of the companies that has one (company key <c>stripe_customer_id</c>).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> CustomersAsync(
        Database database, string environmentId, IReadOnlyCollection<string> companyIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string CompanyId, string CustomerId)>(new CommandDefinition(
            $"""
            SELECT entity_id, value FROM entity_keys
            WHERE environment_id = @environmentId AND entity_type = @entityType AND key = @key AND {database.Dialect.IsAnyOf("entity_id", "companyIds")}
            """,
            new { environmentId, entityType = EntityKeys.Company, key = StripeCompanyKeys.CustomerId, companyIds = companyIds.ToArray() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.CompanyId, r => r.CustomerId, StringComparer.Ordinal);
    }
}
