namespace Tollgate.Server.PlanMigrations;

/// <summary>How migrations run (<c>Tollgate:PlanMigrations</c>).</summary>
public sealed class PlanMigrationOptions
{
    /// <summary>Whether this node's background runner works off open migrations (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Companies moved per transaction (default 500).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How often the runner looks for open migrations it was not woken for (other nodes' or interrupted ones; default 5 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A pause between two batches, to spare a busy database during a large migration (default none).</summary>
    public TimeSpan BatchPause { get; set; } = TimeSpan.Zero;

    /// <summary>How long publishing a version waits for its migration before answering and leaving the rest to the runner (default 30 s).</summary>
    public TimeSpan InlineTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when the values make sense.</summary>
    public bool IsValid() =>
        BatchSize is >= 1 and <= 10_000 && PollInterval > TimeSpan.Zero && BatchPause >= TimeSpan.Zero && InlineTimeout >= TimeSpan.Zero;
}
