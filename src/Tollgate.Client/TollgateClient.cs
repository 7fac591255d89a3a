using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Client.Datastream;
using Tollgate.Client.Internal;

namespace Tollgate.Client;

/// <summary>
/// Tollgate's .NET SDK, shaped like Schematic's official C# SDK (<c>SchematicHQ.Client.Schematic</c>), so moving from
/// it is a rename. Checks never throw: a failure answers the flag's default with the reason. Thread-safe; make one per
/// application and dispose it (or call <see cref="Shutdown"/>) on the way out, which delivers the buffered events.
/// </summary>
public sealed partial class TollgateClient : IAsyncDisposable
{
    /// <summary>The header every request carries the API key in.</summary>
    public const string ApiKeyHeader = "X-Schematic-Api-Key";

    private static readonly TimeSpan MaxStreamWait = TimeSpan.FromSeconds(2);

    private readonly string _apiKey;
    private readonly TollgateClientOptions _options;
    private readonly ConcurrentDictionary<string, bool> _defaults;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly RestChecks _rest;
    private readonly UpgradePlans _upgradePlans;
    private readonly EventBuffer? _events;
    private readonly Replica? _replica;
    private readonly DatastreamClient? _datastream;
    private readonly TimeSpan _streamWait;
    private int _shutdown;

    /// <summary>Makes a client; with <see cref="TollgateClientOptions.UseDatastream"/> it starts replicating at once.</summary>
    /// <param name="apiKey">A secret API key of the environment.</param>
    /// <param name="options">Where and how to reach Tollgate; the defaults of <see cref="TollgateClientOptions"/> when null.</param>
    public TollgateClient(string apiKey, TollgateClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        _options = options ?? new TollgateClientOptions();
        _options.Validate();
        if (!_options.BaseUrl.AbsoluteUri.EndsWith('/'))
        {
            // Relative paths (flags/…/check) resolve under the base URL's own path.
            _options.BaseUrl = new Uri(_options.BaseUrl.AbsoluteUri + "/");
        }

        _apiKey = apiKey;
        _defaults = new ConcurrentDictionary<string, bool>(_options.FlagDefaults, StringComparer.Ordinal);
        _logger = (_options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Tollgate.Client");
        _ownsHttp = _options.HttpClient is null;
        _http = _options.HttpClient ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _rest = new RestChecks(_http, apiKey, _options);
        _upgradePlans = new UpgradePlans(_http, apiKey, _options);
        _streamWait = _options.Timeout < MaxStreamWait ? _options.Timeout : MaxStreamWait;
        if (_options.Offline)
        {
            return;
        }

        _events = new EventBuffer(_http, apiKey, _options, _logger);
        if (_options.UseDatastream)
        {
            _replica = new Replica();
            _datastream = new DatastreamClient(apiKey, _options, _replica, _logger);
            _datastream.Start();
        }
    }

    /// <summary>The replica, for the benchmarks.</summary>
    internal Replica? Replica => _replica;

    /// <summary>Whether checks are answered in-process from a live datastream replica right now.</summary>
    public bool IsDatastreamLive => _datastream?.IsLive ?? false;

    /// <summary>Completes when the datastream has delivered the flags (at once without a datastream), or after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForDatastreamAsync(TimeSpan timeout)
    {
        if (_datastream is null)
        {
            return false;
        }

        try
        {
            await _datastream.FirstFlags.WaitAsync(timeout, _options.TimeProvider).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Sets the answer of <paramref name="flagKey"/> when Tollgate cannot give one (true: fail open).</summary>
    public void SetFlagDefault(string flagKey, bool value) => _defaults[flagKey] = value;

    /// <summary>Sets several flag defaults at once.</summary>
    public void SetFlagDefaults(Dictionary<string, bool> defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        foreach (var (key, value) in defaults)
        {
            _defaults[key] = value;
        }
    }

    /// <summary>
    /// The plans and add-ons that include the feature behind <paramref name="flagKey"/> (kept a minute), to offer
    /// a customer who is refused it; empty when Tollgate cannot be reached or the flag has no feature.
    /// </summary>
    public async Task<IReadOnlyList<PlanInfo>> GetPlansIncluding(string flagKey, CancellationToken cancellationToken = default)
    {
        if (_options.Offline)
        {
            return [];
        }

        try
        {
            return await _upgradePlans.IncludingAsync(flagKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>Events buffered and not yet delivered.</summary>
    public int GetBufferWaitingEventCount() => _events?.Count ?? 0;

    /// <summary>Sends the buffered events now; answers whether all were delivered.</summary>
    public Task<bool> FlushAsync(CancellationToken cancellationToken = default) => _events?.FlushAsync(cancellationToken) ?? Task.FromResult(true);

    /// <summary>Stops the datastream and delivers the buffered events (waiting at most 3 s for Tollgate).</summary>
    public async Task Shutdown()
    {
        if (Interlocked.Exchange(ref _shutdown, 1) == 1)
        {
            return;
        }

        if (_datastream is not null)
        {
            await _datastream.DisposeAsync().ConfigureAwait(false);
        }

        if (_events is not null)
        {
            await _events.StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            await _events.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Shutdown().ConfigureAwait(false);

    private bool DefaultOf(string flagKey) => _defaults.TryGetValue(flagKey, out var value) && value;
}
