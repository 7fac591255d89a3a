namespace Tollgate.Server.Subscriptions;

/// <summary>
/// How the scheduled-change loop retries a change Stripe does not take: after the n-th failure in a row it waits
/// <see cref="FirstPause"/> × 2^(n−1), at most <see cref="LongestPause"/>; after <see cref="MaxFailures"/> failures it
/// stops and records the last reason on the company's scheduled downgrade (<c>failed_at</c>, <c>failure_reason</c>) and in
/// the audit log. With these values the loop tries for about ten and a half hours after the period's end
/// (5 + 10 + 20 + 40 + 80 + 160 + 320 minutes between the eight attempts).
/// </summary>
internal static class ScheduledChangeRetries
{
    /// <summary>Failures in a row after which the change is given up.</summary>
    public const int MaxFailures = 8;

    /// <summary>The pause after the first failure.</summary>
    public static readonly TimeSpan FirstPause = TimeSpan.FromMinutes(5);

    /// <summary>The longest pause between two attempts.</summary>
    public static readonly TimeSpan LongestPause = TimeSpan.FromHours(6);

    /// <summary>The pause after the <paramref name="failures"/>-th failure in a row (1 or more).</summary>
    public static TimeSpan PauseAfter(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        // Doubling from 5 minutes passes 6 hours at the 8th failure: the exponent is capped well before overflow.
        var pause = FirstPause * Math.Pow(2, Math.Min(failures - 1, 16));
        return pause < LongestPause ? pause : LongestPause;
    }
}
