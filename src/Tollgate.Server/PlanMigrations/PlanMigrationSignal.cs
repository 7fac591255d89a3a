using Tollgate.Server.Background;

namespace Tollgate.Server.PlanMigrations;

/// <summary>Wakes this node's migration runner when a migration was created, retried or completed now.</summary>
internal sealed class PlanMigrationSignal : WakeSignal;
