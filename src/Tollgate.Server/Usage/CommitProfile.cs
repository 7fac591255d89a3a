using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tollgate.Server.Usage;

/// <summary>
/// Where one ingestion commit's time goes, phase by phase (issue 16's profile): the writer marks the end of each phase
/// and logs the breakdown at debug level. Only created when that log level is on, so the hot path pays nothing
/// otherwise; callers pass null then, and <see cref="Mark"/> on null is a no-op through the extension below.
/// </summary>
internal sealed class CommitProfile
{
    private readonly List<(string Phase, long Ticks)> _phases = [];
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Ends the phase that ran since the previous mark (or since the profile was made).</summary>
    public void Mark(string phase)
    {
        var now = Stopwatch.GetTimestamp();
        _phases.Add((phase, now - _last));
        _last = now;
    }

    /// <summary>"phase=ms phase=ms …", milliseconds with one decimal, for the log and for awk.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (phase, ticks) in _phases)
        {
            text.Append(text.Length == 0 ? string.Empty : " ")
                .Append(CultureInfo.InvariantCulture, $"{phase}={ticks * 1000.0 / Stopwatch.Frequency:F1}");
        }

        return text.ToString();
    }
}

/// <summary>Marks on a profile that may be absent (debug logging off).</summary>
internal static class CommitProfileExtensions
{
    public static void MarkIfProfiling(this CommitProfile? profile, string phase) => profile?.Mark(phase);
}
