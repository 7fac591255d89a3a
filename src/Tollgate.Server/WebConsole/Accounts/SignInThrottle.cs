using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>
/// Limits password attempts per client address (a fixed one-minute window), on top of the per-account lockout: the
/// lockout stops guessing one account's password, this stops trying one password on many accounts.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    /// <summary>Makes the limiter from <see cref="ConsoleOptions.SignInAttemptsPerMinute"/>.</summary>
    public SignInThrottle(IOptions<ConsoleOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var permits = Math.Max(1, options.Value.SignInAttemptsPerMinute);
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>Takes one attempt for the client's address; false when it has used up this minute's attempts.</summary>
    public bool TryAttempt(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var lease = _limiter.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return lease.IsAcquired;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
