using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Datastream;

/// <summary>
/// What one environment's connections push, read once for all of them: the latest company and user views through
/// <see cref="CoalescedLoads{T}"/>, whose serialized frames (<see cref="DatastreamMessage"/>) are shared too, so a
/// change costs one load and one serialization however many connections follow it.
/// </summary>
internal sealed class PushSource(EnvironmentRuntime runtime)
{
    private readonly CoalescedLoads<CompanyView> _companies = new();
    private readonly CoalescedLoads<UserView> _users = new();

    /// <summary>The environment's warm views (for requests by key, which are one connection's own).</summary>
    public EnvironmentRuntime Runtime => runtime;

    /// <summary>Called on the change feed before the connections hear of <paramref name="change"/>.</summary>
    public void Changed(Change change)
    {
        switch (change.Kind)
        {
            case ChangeKind.Company or ChangeKind.Credits or ChangeKind.Usage:
                _companies.Forget(change.Ids);
                break;
            case ChangeKind.User:
                _users.Forget(change.Ids);
                break;
            case ChangeKind.Catalog or ChangeKind.Everything:
                _companies.ForgetAll();
                _users.ForgetAll();
                break;
        }
    }

    /// <summary>The company as a push must carry it: every committed event counted.</summary>
    public Task<CompanyView?> CompanyAsync(string id, CancellationToken cancellationToken) =>
        _companies.GetAsync(id, companyId => runtime.FindCompanyByIdAsync(companyId, CancellationToken.None, exactUsage: true), cancellationToken);

    public Task<UserView?> UserAsync(string id, CancellationToken cancellationToken) =>
        _users.GetAsync(id, userId => runtime.FindUserByIdAsync(userId, CancellationToken.None), cancellationToken);
}
