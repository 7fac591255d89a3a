using System.Net.WebSockets;

namespace Tollgate.Server.Datastream;

/// <summary>The sending half: the one writer of the socket, which sends the latest state of whatever is due.</summary>
internal sealed partial class DatastreamConnection
{
    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                var (revoked, flags, companies, users, replies) = TakeDue();
                if (revoked)
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)InvalidKeyCloseCode, "API key revoked", cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (flags)
                {
                    await SendAsync(DatastreamMessage.Flags(await source.Runtime.CatalogAsync(cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
                }

                foreach (var id in companies)
                {
                    await SendCompanyAsync(id, cancellationToken).ConfigureAwait(false);
                }

                foreach (var id in users)
                {
                    await SendUserAsync(id, cancellationToken).ConfigureAwait(false);
                }

                foreach (var reply in replies)
                {
                    await SendAsync(reply, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The client went away, stopped reading for longer than SendTimeout, or the server is stopping.
            LogSendEnded(logger, scope.EnvironmentId, exception.Message);
            socket.Abort();
        }
#pragma warning disable CA1031 // Reading what to push failed (the store is down): this connection ends, visibly, and the server goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogPushFailed(logger, exception, scope.EnvironmentId);
            socket.Abort();
        }
    }

    private (bool Revoked, bool Flags, List<string> Companies, List<string> Users, List<byte[]> Replies) TakeDue()
    {
        lock (_gate)
        {
            foreach (var id in _companiesAsked)
            {
                _sentCompanies.Remove(id);
            }

            _companiesAsked.Clear();
            var taken = (_revoked, _flagsDue, _companiesDue.ToList(), _usersDue.ToList(), _replies.ToList());
            _flagsDue = false;
            _companiesDue.Clear();
            _usersDue.Clear();
            _replies.Clear();
            return taken;
        }
    }

    private async Task SendCompanyAsync(string id, CancellationToken cancellationToken)
    {
        var view = await source.CompanyAsync(id, cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            lock (_gate)
            {
                _companies.Remove(id);
                index.UnfollowCompany(this, id);
            }

            if (_sentCompanies.Remove(id, out var gone))
            {
                await SendAsync(DatastreamMessage.Company(gone, DatastreamMessage.Delete), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var company = view.Compiled.Source;
        if (_sentCompanies.TryGetValue(id, out var sent) && ReferenceEquals(sent, company))
        {
            return; // the client holds exactly this
        }

        var message = sent is not null && DatastreamMessage.IsUsageOnlyChange(sent, company)
            ? DatastreamMessage.CompanyUsage(company)
            : DatastreamMessage.Company(company, DatastreamMessage.Full);
        await SendAsync(message, cancellationToken).ConfigureAwait(false);
        _sentCompanies[id] = company;
    }

    private async Task SendUserAsync(string id, CancellationToken cancellationToken)
    {
        var view = await source.UserAsync(id, cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            lock (_gate)
            {
                _users.Remove(id);
                index.UnfollowUser(this, id);
            }

            if (_sentUsers.Remove(id, out var gone))
            {
                await SendAsync(DatastreamMessage.User(gone, DatastreamMessage.Delete), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await SendAsync(DatastreamMessage.User(view.Compiled.Source, DatastreamMessage.Full), cancellationToken).ConfigureAwait(false);
        _sentUsers[id] = view.Compiled.Source;
    }

    private async Task SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A datastream connection of environment {Environment} stopped sending: {Reason}")]
    private static partial void LogSendEnded(ILogger logger, string environment, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A live connection of environment {Environment} could not read what to push; it is closed (the client reconnects)")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string environment);
}
