using Tollgate.Server.Background;

namespace Tollgate.Server.Lifecycle;

/// <summary>Wakes the trial expiry worker when a trial starts, converts or moves its end on this node.</summary>
internal sealed class TrialWakeSignal : WakeSignal
{
    /// <summary>Asks the worker to look at the schedule again.</summary>
    public void Raise() => Wake();
}
