using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Engine;

namespace Tollgate.Client.Datastream;

/// <summary>
/// The local copy of the environment: compiled flags by key, compiled companies and users by id and by each of their
/// keys. One writer (the datastream's receive loop, and <c>Track</c> under the entity's lock); lock-free readers, which
/// allocate nothing on a hit.
/// </summary>
internal sealed class Replica
{
    private readonly ConcurrentDictionary<string, CompiledFlag> _flags = new(StringComparer.Ordinal);
    private readonly Index<CompiledCompany> _companies = new();
    private readonly Index<CompiledUser> _users = new();
    private readonly Lock _write = new();

    public bool TryGetFlag(string key, out CompiledFlag flag) => _flags.TryGetValue(key, out flag!);

    public ICollection<CompiledFlag> Flags => _flags.Values;

    public bool TryFindCompany(Dictionary<string, string> keys, out CompiledCompany company) => _companies.TryFind(keys, out company);

    public bool TryFindUser(Dictionary<string, string> keys, out CompiledUser user) => _users.TryFind(keys, out user);

    /// <summary>The keys of every replicated company and user, to ask for again after a reconnection.</summary>
    public (List<Dictionary<string, string>> Companies, List<Dictionary<string, string>> Users) Subscriptions() =>
        (_companies.AllKeys(), _users.AllKeys());

    /// <summary>A <c>rulesengine.Flags</c> full message: these are all the flags; any other held flag is gone.</summary>
    public void ReplaceFlags(JsonElement flags)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in flags.EnumerateArray())
        {
            var flag = CompiledFlag.Compile(EntityJson.ReadFlag(JsonSerializer.SerializeToUtf8Bytes(element)));
            _flags[flag.Key] = flag;
            seen.Add(flag.Key);
        }

        foreach (var key in _flags.Keys)
        {
            if (!seen.Contains(key))
            {
                _flags.TryRemove(key, out _);
            }
        }
    }

    public void PutFlag(JsonElement element)
    {
        var flag = CompiledFlag.Compile(EntityJson.ReadFlag(JsonSerializer.SerializeToUtf8Bytes(element)));
        _flags[flag.Key] = flag;
    }

    public void DeleteFlag(JsonElement element)
    {
        if (element.TryGetProperty("key", out var key) && key.GetString() is { } k)
        {
            _flags.TryRemove(k, out _);
        }
        else if (element.TryGetProperty("id", out var id))
        {
            foreach (var flag in _flags.Values.Where(f => f.Id == id.GetString()))
            {
                _flags.TryRemove(flag.Key, out _);
            }
        }
    }

    public IReadOnlyList<(string Key, string Value)> ApplyCompany(string messageType, string? id, JsonObject data)
    {
        lock (_write)
        {
            return _companies.Apply(messageType, id, data, static bytes => CompiledCompany.Compile(EntityJson.ReadCompany(bytes)));
        }
    }

    public IReadOnlyList<(string Key, string Value)> ApplyUser(string messageType, string? id, JsonObject data)
    {
        lock (_write)
        {
            return _users.Apply(messageType, id, data, static bytes => CompiledUser.Compile(EntityJson.ReadUser(bytes)));
        }
    }

    /// <summary><c>Track</c>'s optimistic bump: the company's metrics of the event grow at once, before the server's push.</summary>
    public void AddUsage(Dictionary<string, string> keys, string eventSubtype, long quantity)
    {
        lock (_write)
        {
            if (_companies.TryFindEntity(keys, out var held))
            {
                var bumped = EntityMerge.AddUsage(held.Json, eventSubtype, quantity);
                _companies.Apply("full", held.Id, bumped, static bytes => CompiledCompany.Compile(EntityJson.ReadCompany(bytes)));
            }
        }
    }

    /// <summary>Entities by id and by (key, value); (string, string) tuples hash without allocating.</summary>
    private sealed class Index<TCompiled>
        where TCompiled : class
    {
        private readonly ConcurrentDictionary<string, ReplicaEntity<TCompiled>> _byId = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<(string, string), ReplicaEntity<TCompiled>> _byKey = new();

        public bool TryFind(Dictionary<string, string> keys, out TCompiled compiled)
        {
            if (TryFindEntity(keys, out var entity))
            {
                compiled = entity.Compiled;
                return true;
            }

            compiled = null!;
            return false;
        }

        public bool TryFindEntity(Dictionary<string, string> keys, out ReplicaEntity<TCompiled> entity)
        {
            foreach (var pair in keys)
            {
                if (_byKey.TryGetValue((pair.Key, pair.Value), out entity!))
                {
                    return true;
                }
            }

            entity = null!;
            return false;
        }

        public List<Dictionary<string, string>> AllKeys() =>
            [.. _byId.Values.Select(e => e.Keys.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal))];

        public List<(string Key, string Value)> Apply(string messageType, string? id, JsonObject data, Func<byte[], TCompiled> compile)
        {
            id ??= (string?)data["id"];
            if (id is null)
            {
                return [];
            }

            _byId.TryGetValue(id, out var held);
            JsonObject json;
            switch (messageType)
            {
                case "delete":
                    if (held is not null)
                    {
                        Remove(held);
                    }

                    return KeysOf(data);
                case "partial":
                    if (held is null)
                    {
                        return []; // nothing to merge into: the SDKs ignore it
                    }

                    json = EntityMerge.Merge(held.Json, data);
                    break;
                default:
                    json = data;
                    break;
            }

            var keys = KeysOf(json);
            var entity = new ReplicaEntity<TCompiled>(id, json, compile(JsonSerializer.SerializeToUtf8Bytes(json)), keys);
            if (held is not null)
            {
                // Keys the entity no longer has stop finding it.
                foreach (var key in held.Keys.Except(keys))
                {
                    _byKey.TryRemove(key, out _);
                }
            }

            _byId[id] = entity;
            foreach (var key in keys)
            {
                _byKey[key] = entity;
            }

            return keys;
        }

        private void Remove(ReplicaEntity<TCompiled> held)
        {
            _byId.TryRemove(held.Id, out _);
            foreach (var key in held.Keys)
            {
                _byKey.TryRemove(key, out _);
            }
        }

        private static List<(string Key, string Value)> KeysOf(JsonObject json) =>
            json["keys"] is JsonObject keys
                ? [.. keys.Where(k => k.Value is JsonValue).Select(k => (k.Key, k.Value!.ToString()))]
                : [];
    }
}
