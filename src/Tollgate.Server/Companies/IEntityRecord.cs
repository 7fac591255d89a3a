using System.Text.Json;

namespace Tollgate.Server.Companies;

/// <summary>A company or a user: identified by keys, carrying traits.</summary>
public interface IEntityRecord
{
    /// <summary>The entity's id.</summary>
    string Id { get; }

    /// <summary>Keys that identify the entity; each pair is unique in the environment.</summary>
    IReadOnlyDictionary<string, string> Keys { get; }

    /// <summary>Traits by name.</summary>
    IReadOnlyDictionary<string, JsonElement> Traits { get; }
}
