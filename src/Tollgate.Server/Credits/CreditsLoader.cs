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

    /// <summary>
    /// <see cref="LoadAsync"/>'s reads as parts of <paramref name="batch"/>. Once it has run, the answer gives the company's
    /// credits from them, unless a plan grant is due (a new period, a plan left): then it issues it and reads them again, as
    /// <see cref="LoadAsync"/> does.
    /// </summary>
    public static Func<CompanyRecord, Task<CompanyCredits>> ReadIn(
        ReadBatch batch, ResourceStore store, DateTimeOffset now, string environmentId, string companyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var planGrants = store.ListIn<PlanCreditGrantRecord>(batch, environmentId, CreditKinds.PlanGrant, null);
        var issued = PlanGrantIssuer.RowsIn(batch, environmentId, companyId);
        var credits = CompanyCredits.ReadIn(batch, environmentId, companyId);
        return async company =>
            (await issued.ConfigureAwait(false)).NothingDue(await planGrants.ConfigureAwait(false), company, now, out var reloadAt)
                ? await credits(reloadAt).ConfigureAwait(false)
                : await LoadAsync(store, now, environmentId, company, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><see cref="LoadAsync"/> for a batch of companies of one environment, in a few queries for all of them.</summary>
    public static async Task<Dictionary<string, CompanyCredits>> LoadManyAsync(
        ResourceStore store, DateTimeOffset now, string environmentId, IReadOnlyList<CompanyRecord> companies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(companies);
        if (companies.Count == 0)
        {
            return new Dictionary<string, CompanyCredits>(StringComparer.Ordinal);
        }

        var planGrants = await store.ListAllAsync<PlanCreditGrantRecord>(environmentId, CreditKinds.PlanGrant, cancellationToken).ConfigureAwait(false);
        var reloadAt = await PlanGrantIssuer.EnsureIssuedManyAsync(store.Database, planGrants, environmentId, companies, now, cancellationToken).ConfigureAwait(false);
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await CompanyCredits.ReadManyAsync(connection, store.Database.Dialect, environmentId, [.. companies.Select(c => c.Id)], reloadAt).ConfigureAwait(false);
    }
}
