using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// Company memberships (<c>/company-memberships</c>). A membership is kept on its user (<see cref="UserRecord.CompanyIds"/>),
/// so adding or removing one is a write of the user, audited and published like any other; its id is the user's id and
/// the company's joined by an underscore, as users' answers already show it.
/// </summary>
internal sealed class CompanyMemberships(ResourceStore store, AuditLog audit, ChangeFeed changes, TimeProvider time)
{
    /// <summary>The memberships of one company, of one user, or all, by user then company.</summary>
    public async Task<IReadOnlyList<CompanyMembershipResponse>> ListAsync(RequestScope scope, string? companyId, string? userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var users = (userId, companyId) switch
        {
            ({ } user, _) => await store.GetManyAsync<UserRecord>(scope.EnvironmentId, ResourceKinds.User, [user], cancellationToken).ConfigureAwait(false),
            (null, { } company) => await store.ListLinkedAsync<UserRecord>(scope.EnvironmentId, ResourceKinds.User, company, cancellationToken).ConfigureAwait(false),
            _ => await store.ListAllAsync<UserRecord>(scope.EnvironmentId, ResourceKinds.User, cancellationToken).ConfigureAwait(false),
        };
        var pairs = users.SelectMany(u => u.CompanyIds.Where(c => companyId is null || c == companyId).Select(c => (User: u, CompanyId: c))).ToList();
        var companies = (await store.GetManyAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, [.. pairs.Select(p => p.CompanyId).Distinct(StringComparer.Ordinal)], cancellationToken)
            .ConfigureAwait(false)).ToDictionary(c => c.Id);
        return [.. pairs.Select(p => Describe(scope, p.User, p.CompanyId, companies.GetValueOrDefault(p.CompanyId)))];
    }

    /// <summary>The membership of the user in the company, made if missing (404 when either does not exist).</summary>
    public async Task<CompanyMembershipResponse> GetOrCreateAsync(RequestScope scope, string? companyId, string? userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var company = Validate.Required(companyId, "company_id");
        var user = Validate.Required(userId, "user_id");
        var (after, changed, record) = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var companyRecord = await store.GetForUpdateAsync<CompanyRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.Company, company).ConfigureAwait(false)
                    ?? throw new RequestException(StatusCodes.Status404NotFound, "company_id: company not found");
                var before = await store.GetForUpdateAsync<UserRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.User, user).ConfigureAwait(false)
                    ?? throw new RequestException(StatusCodes.Status404NotFound, "user_id: user not found");
                if (before.CompanyIds.Contains(company, StringComparer.Ordinal))
                {
                    return (before, false, companyRecord);
                }

                var updated = before with { CompanyIds = [.. before.CompanyIds, company], UpdatedAt = time.GetUtcNow() };
                await store.PutAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.User, updated.Id, null, null, updated).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "update", ResourceKinds.User, updated.Id, null, before, updated).ConfigureAwait(false);
                return (updated, true, companyRecord);
            },
            cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.User, [after.Id])).ConfigureAwait(false);
        }

        return Describe(scope, after, company, record);
    }

    /// <summary>Removes a membership by id; false when there is no such membership.</summary>
    public async Task<bool> DeleteAsync(RequestScope scope, string membershipId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(membershipId);
        // User ids are "user_…" and company ids "comp_…": the company's id starts at the last "_comp_".
        var split = membershipId.LastIndexOf("_comp_", StringComparison.Ordinal);
        if (split <= 0)
        {
            return false;
        }

        var (userId, companyId) = (membershipId[..split], membershipId[(split + 1)..]);
        var removed = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = await store.GetForUpdateAsync<UserRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.User, userId).ConfigureAwait(false);
                if (before is null || !before.CompanyIds.Contains(companyId, StringComparer.Ordinal))
                {
                    return false;
                }

                var after = before with { CompanyIds = [.. before.CompanyIds.Where(c => c != companyId)], UpdatedAt = time.GetUtcNow() };
                await store.PutAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.User, after.Id, null, null, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "update", ResourceKinds.User, after.Id, null, before, after).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (removed)
        {
            await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.User, [userId])).ConfigureAwait(false);
        }

        return removed;
    }

    private static CompanyMembershipResponse Describe(RequestScope scope, UserRecord user, string companyId, CompanyRecord? company) =>
        new($"{user.Id}_{companyId}", companyId, user.Id, company is null ? null : CompanySummaryResponse.From(company, scope.EnvironmentId), user.CreatedAt, user.UpdatedAt);
}
