using System.Collections.Concurrent;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Datastream;

/// <summary>
/// The live connections of one environment, indexed by what they follow, so that a change reaches only the connections
/// it concerns: a company's change the connections following that company (or every company), a user's those
/// following that user (or every user). Catalog changes, resets and key revocations still reach every connection.
/// </summary>
/// <remarks>
/// Before it, each company write woke every connection of the environment to ask whether it cared, on the writer's
/// commit path: O(connections) per change, which at 10,000 connections and an ingestion rate of changes is whole cores.
/// Followers of one id are a copy-on-write array: most ids have one or a few followers, and notifying reads a snapshot
/// without a lock. Follows and unfollows (at a connection's requests, rare) are serialised by one lock, which also makes
/// removing an id whose last follower left safe against a concurrent follow.
/// A connection may be notified of a change it no longer follows (it unfollowed meanwhile); it checks for itself.
/// </remarks>
internal sealed class SubscriberIndex
{
    private readonly Lock _following = new();
    private readonly ConcurrentDictionary<IStreamSubscriber, byte> _all = new();
    private readonly ConcurrentDictionary<IStreamSubscriber, byte> _everyCompany = new();
    private readonly ConcurrentDictionary<IStreamSubscriber, byte> _everyUser = new();
    private readonly ConcurrentDictionary<string, IStreamSubscriber[]> _byCompany = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IStreamSubscriber[]> _byUser = new(StringComparer.Ordinal);

    /// <summary>How many connections are open.</summary>
    public int Count => _all.Count;

    /// <summary>How many company and user ids have at least one follower (for tests: closed connections leave none).</summary>
    public int FollowedIds => _byCompany.Count + _byUser.Count;

    public void Add(IStreamSubscriber subscriber) => _all[subscriber] = 0;

    /// <summary>The connection has ended: it must have unfollowed its ids first (it knows them; the index does not).</summary>
    public void Remove(IStreamSubscriber subscriber)
    {
        _all.TryRemove(subscriber, out _);
        _everyCompany.TryRemove(subscriber, out _);
        _everyUser.TryRemove(subscriber, out _);
    }

    public void FollowCompany(IStreamSubscriber subscriber, string companyId) => Follow(_byCompany, subscriber, companyId);

    public void UnfollowCompany(IStreamSubscriber subscriber, string companyId) => Unfollow(_byCompany, subscriber, companyId);

    public void FollowUser(IStreamSubscriber subscriber, string userId) => Follow(_byUser, subscriber, userId);

    public void UnfollowUser(IStreamSubscriber subscriber, string userId) => Unfollow(_byUser, subscriber, userId);

    /// <summary>Whether the connection hears of every company's change (a bulk stream, or a context naming an unknown company).</summary>
    public void FollowEveryCompany(IStreamSubscriber subscriber, bool every) => Set(_everyCompany, subscriber, every);

    public void FollowEveryUser(IStreamSubscriber subscriber, bool every) => Set(_everyUser, subscriber, every);

    /// <summary>Tells the connections <paramref name="change"/> concerns. Called on the change feed's delivery: never blocks.</summary>
    public void Notify(Change change)
    {
        switch (change.Kind)
        {
            case ChangeKind.Company or ChangeKind.Credits or ChangeKind.Usage:
                NotifyFollowers(_byCompany, _everyCompany, change);
                break;
            case ChangeKind.User:
                NotifyFollowers(_byUser, _everyUser, change);
                break;
            default:
                // The catalog (every company's compiled rules follow from it), a reset, a revoked key: everyone decides.
                NotifyEach(_all, change);
                break;
        }
    }

    private static void NotifyFollowers(ConcurrentDictionary<string, IStreamSubscriber[]> byId, ConcurrentDictionary<IStreamSubscriber, byte> every, Change change)
    {
        NotifyEach(every, change);
        if (change.Ids.Count == 1)
        {
            if (byId.TryGetValue(change.Ids[0], out var followers))
            {
                foreach (var follower in followers)
                {
                    if (!every.ContainsKey(follower))
                    {
                        follower.Notify(change);
                    }
                }
            }

            return;
        }

        // A commit of many companies' events: a connection following several of them is told once.
        HashSet<IStreamSubscriber>? told = null;
        foreach (var id in change.Ids)
        {
            if (!byId.TryGetValue(id, out var followers))
            {
                continue;
            }

            foreach (var follower in followers)
            {
                if (!every.ContainsKey(follower) && (told ??= []).Add(follower))
                {
                    follower.Notify(change);
                }
            }
        }
    }

    private static void NotifyEach(ConcurrentDictionary<IStreamSubscriber, byte> subscribers, Change change)
    {
        if (subscribers.IsEmpty)
        {
            return;
        }

        foreach (var subscriber in subscribers.Keys)
        {
            subscriber.Notify(change);
        }
    }

    private static void Set(ConcurrentDictionary<IStreamSubscriber, byte> every, IStreamSubscriber subscriber, bool on)
    {
        if (on)
        {
            every[subscriber] = 0;
        }
        else
        {
            every.TryRemove(subscriber, out _);
        }
    }

    private void Follow(ConcurrentDictionary<string, IStreamSubscriber[]> byId, IStreamSubscriber subscriber, string id)
    {
        lock (_following)
        {
            if (!byId.TryGetValue(id, out var followers))
            {
                byId[id] = [subscriber];
            }
            else if (Array.IndexOf(followers, subscriber) < 0)
            {
                byId[id] = [.. followers, subscriber];
            }
        }
    }

    private void Unfollow(ConcurrentDictionary<string, IStreamSubscriber[]> byId, IStreamSubscriber subscriber, string id)
    {
        lock (_following)
        {
            if (!byId.TryGetValue(id, out var followers))
            {
                return;
            }

            var at = Array.IndexOf(followers, subscriber);
            if (at < 0)
            {
                return;
            }

            if (followers.Length == 1)
            {
                byId.TryRemove(id, out _);
            }
            else
            {
                byId[id] = [.. followers.AsSpan(0, at), .. followers.AsSpan(at + 1)];
            }
        }
    }
}
