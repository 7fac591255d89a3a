using Tollgate.Server.Background;

namespace Tollgate.Server.Usage;

/// <summary>
/// Raised by the ingestion pipeline after a commit that wrote billable usage (<see cref="BillableUsageOutbox"/>). Usage
/// owns it and knows nothing of who listens: the biller (Billing's meter sync) waits on it to drain the outbox at once
/// rather than at its next poll. A lost or coalesced wake costs only latency — the rows are durable and the biller
/// polls anyway.
/// </summary>
internal sealed class BillableUsageCommitted : WakeSignal;
