using System.Text.Json.Nodes;

namespace Tollgate.Client.Datastream;

/// <summary>
/// One replicated company or user: its JSON as last received (partials merge into it, <c>Track</c> bumps it) and the
/// compiled form checks read. Replaced whole on every change, so a reader holds one consistent pair.
/// </summary>
internal sealed record ReplicaEntity<TCompiled>(string Id, JsonObject Json, TCompiled Compiled, IReadOnlyList<(string Key, string Value)> Keys)
    where TCompiled : class;
