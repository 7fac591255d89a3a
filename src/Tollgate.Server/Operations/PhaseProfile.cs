using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tollgate.Server.Operations;

/// <summary>
/// Where one piece of work's time goes, phase by phase (issue 16's profiles: an ingestion commit, a check): the code
/// marks the end of each phase and the owner logs the breakdown at debug level. Only created when that log level is on,
/// so the hot path pays nothing otherwise; callers pass null then, and <see cref="Mark"/> on null is a no-op through
/// the extension below.
/// </summary>
/// <remarks>
/// A profile can also be made <see cref="Ambient"/> for one request's asynchronous flow, so that code several calls deep
/// (a cold company's load) marks its phases without a profile in every signature: <see cref="MarkAmbient"/> does
/// nothing when no profile is ambient, which is always the case unless diagnostics are on.
/// </remarks>
internal sealed class PhaseProfile
{
    private static readonly AsyncLocal<PhaseProfile?> AmbientProfile = new();
    // True once any profile was made ambient (only a server with profiling on does that): until then a mark on the check
    // path costs one static read instead of an async-local lookup.
    private static volatile bool _everAmbient;
    private readonly List<(string Phase, long Ticks)> _phases = [];
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>The profile of the request this flow serves, if one is being profiled.</summary>
    public static PhaseProfile? Ambient
    {
        get => AmbientProfile.Value;
        set
        {
            _everAmbient |= value is not null;
            AmbientProfile.Value = value;
        }
    }

    /// <summary>Ends a phase on the ambient profile, if there is one.</summary>
    public static void MarkAmbient(string phase)
    {
        if (_everAmbient)
        {
            AmbientProfile.Value?.Mark(phase);
        }
    }

    /// <summary>Ends the phase that ran since the previous mark (or since the profile was made).</summary>
    public void Mark(string phase)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_phases)
        {
            _phases.Add((phase, now - _last));
            _last = now;
        }
    }

    /// <summary>"phase=ms phase=ms …", milliseconds with two decimals, for the log and for awk.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        lock (_phases)
        {
            foreach (var (phase, ticks) in _phases)
            {
                text.Append(text.Length == 0 ? string.Empty : " ")
                    .Append(CultureInfo.InvariantCulture, $"{phase}={ticks * 1000.0 / Stopwatch.Frequency:F2}");
            }
        }

        return text.ToString();
    }
}

/// <summary>Marks on a profile that may be absent (debug logging off).</summary>
internal static class PhaseProfileExtensions
{
    public static void MarkIfProfiling(this PhaseProfile? profile, string phase) => profile?.Mark(phase);
}
