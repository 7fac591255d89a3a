namespace Tollgate.Server.DataExports;

/// <summary>Wakes the export worker when an export is created on this node.</summary>
internal sealed class DataExportSignal : Background.WakeSignal;
