namespace Tollgate.Client;

/// <summary>Where a check's answer came from, which says how fresh it is.</summary>
public enum CheckSource
{
    /// <summary>Evaluated in-process from the datastream replica while connected: live.</summary>
    Datastream,

    /// <summary>Evaluated in-process from the replica while the datastream is down and Tollgate unreachable: as of the disconnection.</summary>
    StaleReplica,

    /// <summary>Tollgate answered over REST just now.</summary>
    Rest,

    /// <summary>A REST answer reused from the local cache.</summary>
    Cache,

    /// <summary>No answer could be had: the flag's default (see <see cref="FlagCheckResult.Error"/>).</summary>
    Default,

    /// <summary>The client is offline: the flag's default.</summary>
    Offline,
}
