using Tollgate.Server.Datastream;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Tests.Unit;

/// <summary>The datastream's fan-out: a change reaches the connections that follow what it touched, and no others.</summary>
public sealed class SubscriberIndexTests
{
    [Fact]
    public void ACompanyChangeReachesOnlyItsFollowersAndTheFollowersOfEveryCompanyEachOnce()
    {
        var index = new SubscriberIndex();
        var (first, second, bulk, idle) = (new Recorder(), new Recorder(), new Recorder(), new Recorder());
        foreach (var subscriber in new[] { first, second, bulk, idle })
        {
            index.Add(subscriber);
        }

        index.FollowCompany(first, "comp_1");
        index.FollowCompany(first, "comp_2");
        index.FollowCompany(second, "comp_2");
        index.FollowCompany(bulk, "comp_1");
        index.FollowEveryCompany(bulk, every: true);

        index.Notify(new Change("env", ChangeKind.Usage, ["comp_1", "comp_2"]));
        index.Notify(Change.Of("env", ChangeKind.Company, "comp_9"));
        index.Notify(Change.Of("env", ChangeKind.User, "comp_1"));

        Assert.Equal([ChangeKind.Usage], first.Heard.Select(c => c.Kind));
        Assert.Equal([ChangeKind.Usage], second.Heard.Select(c => c.Kind));
        Assert.Equal([ChangeKind.Usage, ChangeKind.Company], bulk.Heard.Select(c => c.Kind));
        Assert.Empty(idle.Heard);
    }

    [Fact]
    public void CatalogChangesResetsAndKeyChangesReachEveryConnection()
    {
        var index = new SubscriberIndex();
        var (following, idle) = (new Recorder(), new Recorder());
        index.Add(following);
        index.Add(idle);
        index.FollowUser(following, "user_1");

        index.Notify(Change.Of("env", ChangeKind.Catalog, "flag_1"));
        index.Notify(Change.Everything("env"));
        index.Notify(Change.Of("env", ChangeKind.ApiKey, "key_1"));

        Assert.Equal(3, following.Heard.Count);
        Assert.Equal(3, idle.Heard.Count);
    }

    [Fact]
    public void ConnectionsThatUnfollowAndLeaveAreToldNothingMoreAndLeaveNoIdsBehind()
    {
        var index = new SubscriberIndex();
        var (staying, leaving) = (new Recorder(), new Recorder());
        index.Add(staying);
        index.Add(leaving);
        index.FollowCompany(staying, "comp_1");
        index.FollowCompany(leaving, "comp_1");
        index.FollowUser(leaving, "user_1");
        index.FollowEveryUser(leaving, every: true);

        index.UnfollowCompany(leaving, "comp_1");
        index.UnfollowUser(leaving, "user_1");
        index.Remove(leaving);
        index.Notify(Change.Of("env", ChangeKind.Company, "comp_1"));
        index.Notify(Change.Of("env", ChangeKind.User, "user_1"));
        index.Notify(Change.Of("env", ChangeKind.Catalog, "flag_1"));

        Assert.Empty(leaving.Heard);
        Assert.Equal(2, staying.Heard.Count);
        Assert.Equal((1, 1), (index.Count, index.FollowedIds));
        index.UnfollowCompany(staying, "comp_1");
        Assert.Equal(0, index.FollowedIds);
    }

    private sealed class Recorder : IStreamSubscriber
    {
        public List<Change> Heard { get; } = [];

        public string EnvironmentId => "env";

        public void Notify(Change change) => Heard.Add(change);

        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
