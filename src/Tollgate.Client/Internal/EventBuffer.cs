using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Tollgate.Client.Internal;

/// <summary>
/// Events waiting to go to <c>POST /batch</c>: sent when 100 are waiting or the period has passed. A batch that could not
/// be delivered (Tollgate unreachable, 5xx, 429) stays at the head of the queue and is sent again, with the same
/// idempotency keys, after a backoff that doubles the period up to 32 times (at most 30 s); a batch Tollgate refused (4xx) is dropped and logged.
/// Beyond <see cref="TollgateClientOptions.MaxBufferedEvents"/> the oldest events are dropped.
/// </summary>
internal sealed partial class EventBuffer : IAsyncDisposable
{
    public const int BatchSize = 100;
    private const int MaxDoublings = 5;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly LinkedList<PendingEvent> _events = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private readonly Uri _batchUrl;
    private readonly string _apiKey;
    private readonly TollgateClientOptions _options;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private int _failures;

    public EventBuffer(HttpClient http, string apiKey, TollgateClientOptions options, ILogger logger)
    {
        _http = http;
        _apiKey = apiKey;
        _options = options;
        _logger = logger;
        _batchUrl = new Uri(options.BaseUrl, "batch");
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Events not yet delivered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    public void Push(PendingEvent pending)
    {
        bool full;
        lock (_gate)
        {
            _events.AddLast(pending);
            if (_events.Count > _options.MaxBufferedEvents)
            {
                _events.RemoveFirst();
                LogDropped(_logger, 1, "the buffer is full");
            }

            full = _events.Count >= BatchSize;
        }

        if (full)
        {
            _wake.Release();
        }
    }

    /// <summary>Sends everything waiting now, once per batch; answers whether all of it was delivered.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (TakeBatch() is { Count: > 0 } batch)
            {
                if (!await SendAsync(batch, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var wait = _failures == 0
                ? _options.EventBufferPeriod
                : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, _options.EventBufferPeriod.Ticks << Math.Min(_failures, MaxDoublings)));
            try
            {
                // A full batch wakes the loop early, except while backing off from a failure.
                if (_failures == 0)
                {
                    await _wake.WaitAsync(wait, _stop.Token).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(wait, _options.TimeProvider, _stop.Token).ConfigureAwait(false);
                }

                await FlushAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private List<PendingEvent> TakeBatch()
    {
        lock (_gate)
        {
            var batch = new List<PendingEvent>(Math.Min(BatchSize, _events.Count));
            for (var node = _events.First; node is not null && batch.Count < BatchSize; node = node.Next)
            {
                batch.Add(node.Value);
            }

            return batch;
        }
    }

    private async Task<bool> SendAsync(List<PendingEvent> batch, CancellationToken cancellationToken)
    {
        var events = new JsonArray();
        foreach (var e in batch)
        {
            events.Add(new JsonObject
            {
                ["api_key"] = _apiKey,
                ["type"] = e.Type,
                ["body"] = e.Body.DeepClone(),
                ["sent_at"] = e.SentAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["idempotency_key"] = e.IdempotencyKey,
            });
        }

        bool delivered;
        bool keep;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            using var response = await _http.PostAsJsonAsync(_batchUrl, new JsonObject { ["events"] = events }, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            delivered = response.IsSuccessStatusCode;

            // 408, 429 and 5xx may succeed later; any other refusal would be refused again.
            keep = !delivered && (status is 408 or 429 || status >= 500);
            if (!delivered && !keep)
            {
                LogDropped(_logger, batch.Count, $"Tollgate refused the batch with {status}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            (delivered, keep) = (false, true);
            LogSendFailed(_logger, batch.Count, exception.Message);
        }

        if (keep)
        {
            _failures++;
            return false;
        }

        _failures = 0;
        lock (_gate)
        {
            // The batch is the head of the queue: only the sender removes events, and Push only appends.
            for (var i = 0; i < batch.Count && _events.First is { } first; i++)
            {
                if (ReferenceEquals(first.Value, batch[i]))
                {
                    _events.RemoveFirst();
                }
            }
        }

        return delivered;
    }

    /// <summary>Stops the loop and tries to deliver what is left for at most <paramref name="patience"/>.</summary>
    public async Task StopAsync(TimeSpan patience)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(patience);
        try
        {
            if (!await FlushAsync(deadline.Token).ConfigureAwait(false))
            {
                LogDropped(_logger, Count, "Tollgate could not be reached before shutdown");
            }
        }
        catch (OperationCanceledException)
        {
            LogDropped(_logger, Count, "the shutdown flush ran out of time");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        }

        _stop.Dispose();
        _wake.Dispose();
        _sending.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {Count} events failed; they stay buffered and are sent again: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} events were dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, int count, string reason);
}
