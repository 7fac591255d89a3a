using System.Net.WebSockets;
using System.Threading.Channels;
using Tollgate.Engine.Model;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Datastream;

/// <summary>
/// One SDK's datastream (spec/schematic.md §2, spec/schematic-node-sdk-wire.md §5): it asks for flags, companies and
/// users, and is sent each one it asked for again whenever a change touches it.
/// </summary>
/// <remarks>
/// What is due is kept as a set of entities, not a queue of messages: a burst of changes to one company is one push of
/// its latest state, and a client that reads slowly costs at most one entry per subscribed entity (plus a bounded
/// number of error replies) however much is written — it falls behind to the newest state instead of growing memory.
/// A client that stops reading altogether is closed when a send outlasts <see cref="SendTimeout"/>.
/// </remarks>
internal sealed partial class DatastreamConnection(WebSocket socket, RequestScope scope, PushSource source, SubscriberIndex index, ResourceStore store, ILogger logger)
    : IStreamSubscriber
{
    /// <summary>The close code Schematic's SDKs read as "the API key is not (or no longer) valid".</summary>
    public const int InvalidKeyCloseCode = 4001;

    private const int MaxMessageBytes = 64 * 1024;
    private const int MaxQueuedReplies = 256;
    private const int InitialBufferBytes = 1024;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly HashSet<string> _companies = new(StringComparer.Ordinal);
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private readonly HashSet<string> _companiesDue = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usersDue = new(StringComparer.Ordinal);

    // Companies the client asked for: it does not hold them (the SDKs ask on a cache miss only), so they are sent whole
    // even when this connection sent the same state before.
    private readonly HashSet<string> _companiesAsked = new(StringComparer.Ordinal);
    private readonly Queue<byte[]> _replies = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // What the client holds, for deletes (which must carry the whole entity) and partials. Only the sender touches them.
    private readonly Dictionary<string, Company> _sentCompanies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, User> _sentUsers = new(StringComparer.Ordinal);

    private bool _flagsWanted;
    private bool _flagsDue;
    private bool _allCompanies;
    private bool _allUsers;
    private bool _revoked;

    public string EnvironmentId => scope.EnvironmentId;

    /// <summary>Serves the connection until the client closes it, the key is revoked, or the server stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sender = SendLoopAsync(stop.Token);
        try
        {
            await ReceiveLoopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            LogReceiveEnded(logger, scope.EnvironmentId, exception.Message);
        }
        finally
        {
            _wake.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            await sender.ConfigureAwait(false);
            UnfollowAll();
        }
    }

    /// <summary>Both loops have ended, so nothing follows anything again: the index keeps no id for this connection.</summary>
    private void UnfollowAll()
    {
        lock (_gate)
        {
            foreach (var id in _companies)
            {
                index.UnfollowCompany(this, id);
            }

            foreach (var id in _users)
            {
                index.UnfollowUser(this, id);
            }
        }
    }

    public void Notify(Change change)
    {
        var wake = false;
        lock (_gate)
        {
            switch (change.Kind)
            {
                case ChangeKind.ApiKey:
                    _revoked |= scope.ApiKeyId is { } keyId && change.Ids.Contains(keyId);
                    wake = _revoked;
                    break;
                case ChangeKind.Catalog or ChangeKind.Everything:
                    // Compiled rules, plan versions and entitlements of every company follow from the catalog.
                    _flagsDue |= _flagsWanted;
                    _companiesDue.UnionWith(_companies);
                    _usersDue.UnionWith(_users);
                    wake = true;
                    break;
                case ChangeKind.Company or ChangeKind.Credits or ChangeKind.Usage:
                    wake = MarkDue(change.Ids, _companies, _companiesDue, _allCompanies);
                    break;
                case ChangeKind.User:
                    wake = MarkDue(change.Ids, _users, _usersDue, _allUsers);
                    break;
            }
        }

        if (wake)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    private static bool MarkDue(IReadOnlyList<string> ids, HashSet<string> subscribed, HashSet<string> due, bool all)
    {
        var any = false;
        foreach (var id in ids)
        {
            if (all)
            {
                subscribed.Add(id);
            }

            if (subscribed.Contains(id))
            {
                due.Add(id);
                any = true;
            }
        }

        return any;
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        // Requests are a few hundred bytes: an idle connection holds a small buffer, grown only for a larger frame.
        var buffer = new byte[InitialBufferBytes];
        while (socket.State == WebSocketState.Open)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length == MaxMessageBytes)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {MaxMessageBytes} bytes", cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    Array.Resize(ref buffer, Math.Min(buffer.Length * 4, MaxMessageBytes));
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            await HandleAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (!DatastreamRequest.TryParse(message, out var request, out var problem))
        {
            Reply(DatastreamMessage.Failure(problem, null, null));
            return;
        }

        var stop = request.Action == "stop";
        switch (request.EntityType)
        {
            case DatastreamEntityTypes.Flags or DatastreamEntityTypes.Flag:
                lock (_gate)
                {
                    (_flagsWanted, _flagsDue) = (!stop, !stop);
                }

                break;
            case DatastreamEntityTypes.Company or DatastreamEntityTypes.Companies:
                await RequestCompanyAsync(request, stop, cancellationToken).ConfigureAwait(false);
                break;
            case DatastreamEntityTypes.User or DatastreamEntityTypes.Users:
                await RequestUserAsync(request, stop, cancellationToken).ConfigureAwait(false);
                break;
            default:
                Reply(DatastreamMessage.Failure($"entity_type: unknown entity type '{request.EntityType}'", request.Keys, request.EntityType));
                return;
        }

        _wake.Writer.TryWrite(true);
    }

    private async Task RequestCompanyAsync(DatastreamRequest request, bool stop, CancellationToken cancellationToken)
    {
        if (request.Keys is not { Count: > 0 } keys)
        {
            // The bulk stream a replicator starts: every company now, and every one written from now on.
            var ids = stop ? [] : (await store.ListAllAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false)).Select(c => c.Id).ToList();
            Subscribe(companies: true, ids, stop, all: true);
            return;
        }

        var company = await source.Runtime.FindCompanyAsync(keys, cancellationToken, exactUsage: true).ConfigureAwait(false);
        if (company is null)
        {
            Reply(DatastreamMessage.Failure("company not found", keys, request.EntityType));
            return;
        }

        Subscribe(companies: true, [company.Record.Id], stop, all: false);
        if (!stop)
        {
            lock (_gate)
            {
                _companiesAsked.Add(company.Record.Id);
            }
        }
    }

    private async Task RequestUserAsync(DatastreamRequest request, bool stop, CancellationToken cancellationToken)
    {
        if (request.Keys is not { Count: > 0 } keys)
        {
            var ids = stop ? [] : (await store.ListAllAsync<UserRecord>(scope.EnvironmentId, ResourceKinds.User, cancellationToken).ConfigureAwait(false)).Select(u => u.Id).ToList();
            Subscribe(companies: false, ids, stop, all: true);
            return;
        }

        var user = await source.Runtime.FindUserAsync(keys, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            Reply(DatastreamMessage.Failure("user not found", keys, request.EntityType));
            return;
        }

        Subscribe(companies: false, [user.Record.Id], stop, all: false);
    }

    // Follows in the index before marking the entities due: a change after the sender's read is then always heard.
    // A bulk stream follows every id at once instead of each (there may be a million).
    private void Subscribe(bool companies, IReadOnlyList<string> ids, bool stop, bool all)
    {
        var (subscribed, due) = companies ? (_companies, _companiesDue) : (_users, _usersDue);
        lock (_gate)
        {
            if (all)
            {
                if (companies)
                {
                    _allCompanies = !stop;
                    index.FollowEveryCompany(this, !stop);
                }
                else
                {
                    _allUsers = !stop;
                    index.FollowEveryUser(this, !stop);
                }

                if (stop)
                {
                    foreach (var id in subscribed)
                    {
                        Unfollow(companies, id);
                    }

                    subscribed.Clear();
                    due.Clear();
                }
            }

            foreach (var id in ids)
            {
                if (stop)
                {
                    Unfollow(companies, id);
                    subscribed.Remove(id);
                    due.Remove(id);
                }
                else
                {
                    if (!all)
                    {
                        Follow(companies, id);
                    }

                    subscribed.Add(id);
                    due.Add(id);
                }
            }
        }
    }

    private void Follow(bool company, string id)
    {
        if (company)
        {
            index.FollowCompany(this, id);
        }
        else
        {
            index.FollowUser(this, id);
        }
    }

    private void Unfollow(bool company, string id)
    {
        if (company)
        {
            index.UnfollowCompany(this, id);
        }
        else
        {
            index.UnfollowUser(this, id);
        }
    }

    private void Reply(byte[] message)
    {
        lock (_gate)
        {
            // A client that keeps asking without reading: its oldest unanswered errors are dropped (they carry no state).
            if (_replies.Count == MaxQueuedReplies)
            {
                _replies.Dequeue();
            }

            _replies.Enqueue(message);
        }

        _wake.Writer.TryWrite(true);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A datastream connection of environment {Environment} stopped receiving: {Reason}")]
    private static partial void LogReceiveEnded(ILogger logger, string environment, string reason);
}
