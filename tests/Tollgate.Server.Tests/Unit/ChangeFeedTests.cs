using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Tests.Unit;

/// <summary>The in-process change feed (SQLite's, and PostgreSQL's own node): what a writer may rely on.</summary>
public sealed class ChangeFeedTests
{
    [Fact]
    public async Task PublishReturnsOnlyOnceEverySubscriberHasAppliedTheChange()
    {
        var feed = new ChangeFeed(NullLogger.Instance);
        var applied = new List<string>();
        feed.Subscribe(async (change, _) =>
        {
            await Task.Yield();
            applied.Add("first " + change.Ids[0]);
        });
        feed.Subscribe((change, _) =>
        {
            applied.Add("second " + change.Ids[0]);
            return Task.CompletedTask;
        });

        await feed.PublishAsync(Change.Of("env_a", ChangeKind.Company, "comp_1"));

        Assert.Equal(["first comp_1", "second comp_1"], applied);
    }

    [Fact]
    public async Task ASubscriberThatFailsNeitherFailsTheWriterNorKeepsTheChangeFromTheOthers()
    {
        var feed = new ChangeFeed(NullLogger.Instance);
        var seen = new List<Change>();
        feed.Subscribe((_, _) => throw new InvalidOperationException("the store is down"));
        feed.Subscribe((change, _) =>
        {
            seen.Add(change);
            return Task.CompletedTask;
        });

        var change = Change.Of("env_a", ChangeKind.ApiKey, "key_1");
        await feed.PublishAsync(change);

        Assert.Same(change, Assert.Single(seen));
        Assert.False(change.FromOtherNode);
        Assert.Null(feed.LastRemoteLag);
    }
}
