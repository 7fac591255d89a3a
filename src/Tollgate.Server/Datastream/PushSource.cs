using Tollgate.Server.Evaluation;
using Tollgate.Server.Memory;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Datastream;

/// <summary>
/// What one environment's connections push, read once for all of them: the latest company and user views through
/// one <see cref="LoadCoalescer{TKey,TValue}"/> each, whose serialized frames (<see cref="DatastreamMessage"/>) are
/// shared too, so a change costs one load and one serialization however many connections follow it (a change to a
/// company that 10,000 connections follow is read and built once).
/// </summary>
/// <remarks>
/// Invariant: a connection never joins a load that began before the latest change of its id. <see cref="Changed"/>
/// runs on the change feed before any connection is told of the change, so a connection woken by a change finds
/// either no load (and starts one, which reads after the change) or one started after it. Finished loads are not
/// kept: the runtime's warm views answer the connections that come later, without reading the store.
/// </remarks>
internal sealed class PushSource(EnvironmentRuntime runtime)
{
    private readonly LoadCoalescer<string, CompanyView?> _companies = new();
    private readonly LoadCoalescer<string, UserView?> _users = new();

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
        _companies.LoadAsync(id, () => runtime.FindCompanyByIdAsync(id, CancellationToken.None, exactUsage: true).AsTask(), cancellationToken);

    public Task<UserView?> UserAsync(string id, CancellationToken cancellationToken) =>
        _users.LoadAsync(id, () => runtime.FindUserByIdAsync(id, CancellationToken.None).AsTask(), cancellationToken);
}
