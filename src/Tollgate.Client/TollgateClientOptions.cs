using Microsoft.Extensions.Logging;

namespace Tollgate.Client;

/// <summary>
/// How a <see cref="TollgateClient"/> talks to Tollgate, with the defaults of Schematic's official C# SDK
/// (<c>SchematicHQ.Client</c> <c>ClientOptions</c>) where it has the option. Read once, when the client is made.
/// </summary>
public sealed class TollgateClientOptions
{
    /// <summary>Where Tollgate answers, e.g. <c>https://tollgate.example.com</c>. Default <c>http://localhost:8080</c>.</summary>
    public Uri BaseUrl { get; set; } = new("http://localhost:8080");

    /// <summary>
    /// Keep a replica of flags, companies and users over <c>GET /datastream</c> and evaluate checks in-process. Default
    /// false (every check is a REST call, answered from a small cache for <see cref="CacheTtl"/>).
    /// </summary>
    public bool UseDatastream { get; set; }

    /// <summary>
    /// The answer of a flag when Tollgate cannot give one (unreachable, unknown flag, timeout): true fails open, false
    /// fails closed. A flag not listed fails closed.
    /// </summary>
    public Dictionary<string, bool> FlagDefaults { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Make no network calls: checks answer their defaults, events are dropped. Default false.</summary>
    public bool Offline { get; set; }

    /// <summary>How long events wait to be sent together (at most 100 in a batch). Default 5 s.</summary>
    public TimeSpan EventBufferPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one request may take, and how long a check waits for the datastream. Default 30 s for
    /// requests; a datastream lookup waits at most the smaller of this and 2 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a REST answer is reused for the same flag and context. Default 5 s; zero disables the cache.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the client logs. Default: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The HTTP client to send requests with (its own timeout and handlers apply). Default: one of the client's own.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>The clock, for answers' <c>AsOf</c> and the cache. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The most events kept while Tollgate cannot be reached; older ones are dropped beyond it. Default 10,000.</summary>
    public int MaxBufferedEvents { get; set; } = 10_000;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseUrl);
        if (!BaseUrl.IsAbsoluteUri || BaseUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("BaseUrl: must be an absolute http or https URL.", nameof(BaseUrl));
        }

        if (EventBufferPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException("EventBufferPeriod: must be positive.", nameof(EventBufferPeriod));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Timeout: must be positive.", nameof(Timeout));
        }

        if (MaxBufferedEvents < 100)
        {
            throw new ArgumentException("MaxBufferedEvents: must be at least 100.", nameof(MaxBufferedEvents));
        }
    }
}
