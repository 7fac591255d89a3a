using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Engine;

namespace Tollgate.Client.Datastream;

/// <summary>Applying the server's frames: <c>{"data", "entity_type", "entity_id"?, "message_type"}</c>.</summary>
internal sealed partial class DatastreamClient
{
    private void Apply(ReadOnlyMemory<byte> frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            var entityType = root.GetProperty("entity_type").GetString();
            var messageType = root.GetProperty("message_type").GetString() ?? "full";
            var entityId = root.TryGetProperty("entity_id", out var idElement) ? idElement.GetString() : null;
            var data = root.GetProperty("data");
            switch (entityType, messageType)
            {
                case (_, "error"):
                    Release(data);
                    break;
                case ("rulesengine.Flags", _):
                    _replica.ReplaceFlags(data);
                    _live = true;
                    _firstFlags.TrySetResult();
                    break;
                case ("rulesengine.Flag", "delete"):
                    _replica.DeleteFlag(data);
                    break;
                case ("rulesengine.Flag", _):
                    _replica.PutFlag(data);
                    break;
                case ("rulesengine.Company" or "rulesengine.Companies", _):
                    Resolve("company", _replica.ApplyCompany(messageType, entityId, (JsonObject)JsonNode.Parse(data.GetRawText())!));
                    break;
                case ("rulesengine.User" or "rulesengine.Users", _):
                    Resolve("user", _replica.ApplyUser(messageType, entityId, (JsonObject)JsonNode.Parse(data.GetRawText())!));
                    break;
            }
        }
        catch (Exception exception) when (exception is JsonException or EngineInputException or KeyNotFoundException or InvalidOperationException or InvalidCastException)
        {
            LogBadMessage(_logger, exception.Message);
        }
    }

    /// <summary>Wakes whoever waits for an entity with any of these keys.</summary>
    private void Resolve(string kind, IReadOnlyList<(string Key, string Value)> keys)
    {
        lock (_waitersGate)
        {
            foreach (var waiter in _waiters)
            {
                if (waiter.EntityType.EndsWith(kind == "company" ? "Company" : "User", StringComparison.Ordinal)
                    && keys.Any(k => waiter.Keys.TryGetValue(k.Key, out var v) && v == k.Value))
                {
                    waiter.Done.TrySetResult(true);
                }
            }
        }
    }

    /// <summary>An error naming keys: the entity is unknown, its waiters stop waiting (the check goes on without it).</summary>
    private void Release(JsonElement data)
    {
        if (!data.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Object)
        {
            LogBadMessage(_logger, data.GetRawText());
            return;
        }

        var pairs = keys.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToList();
        lock (_waitersGate)
        {
            foreach (var waiter in _waiters)
            {
                if (pairs.Any(p => waiter.Keys.TryGetValue(p.Name, out var v) && v == p.Item2))
                {
                    waiter.Done.TrySetResult(false);
                }
            }
        }
    }
}
