using Tollgate.Server.Companies;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>Reads a company's credits for its view, issuing its plans' credit grants of the current period first.</summary>
internal static class CreditsLoader
{
    public static async Task<CompanyCredits> LoadAsync(ResourceStore store, DateTimeOffset now, string environmentId, CompanyRecord company, CancellationToken cancellationToken)
    {
        var planGrants = await store.ListAllAsync<PlanCreditGrantRecord>(environmentId, CreditKinds.PlanGrant, cancellationToken).ConfigureAwait(false);
        var reloadAt = await PlanGrantIssuer.EnsureIssuedAsync(store.Database, planGrants, environmentId, company, now, cancellationToken).ConfigureAwait(false);
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await CompanyCredits.ReadAsync(connection, environmentId, company.Id, reloadAt).ConfigureAwait(false);
    }
}
