using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Components;

/// <summary>
/// The credits side of the hydrate answer, from the credits area's services: the bundles on sale (active ones) and the
/// company's grants with what is left of each. Balances with auto top-up follow from the grants the credits area makes
/// (its auto top-up writes grants of reason <c>billing_credit_auto_topup</c>).
/// </summary>
internal sealed class ComponentCredits(CreditBundleService bundles, CreditService credits, CreditTypeService creditTypes)
{
    /// <summary>Active bundles and the company's grants (oldest first, at most <see cref="Paging.MaxLimit"/>).</summary>
    public async Task<(IReadOnlyList<ComponentCreditBundleResponse> Bundles, IReadOnlyList<ComponentCreditGrantResponse> Grants)> ReadAsync(
        RequestScope scope, CompanyRecord company, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(company);
        var onSale = await bundles.ListAsync(scope.EnvironmentId, null, "active", null, cancellationToken).ConfigureAwait(false);
        var described = await bundles.ToResponsesAsync(scope.EnvironmentId, onSale, cancellationToken).ConfigureAwait(false);
        var grants = await credits.ListGrantsAsync(scope, company.Id, null, new Paging(Paging.MaxLimit, 0), cancellationToken).ConfigureAwait(false);
        var types = grants.Count == 0
            ? new Dictionary<string, CreditTypeRecord>()
            : (await creditTypes.ListAsync(scope.EnvironmentId, null, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        return (
            [.. described.Select(ComponentCreditBundleResponse.From)],
            [.. grants.Select(g => ComponentCreditGrantResponse.From(g, types.GetValueOrDefault(g.CreditId)))]);
    }
}
