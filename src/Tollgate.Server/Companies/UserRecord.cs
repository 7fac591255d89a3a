using System.Text.Json;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>A user of a customer company.</summary>
public sealed record UserRecord : IEntityRecord, ILinkedResource
{
    /// <summary>The user's id (<c>user_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public string? Name { get; init; }

    /// <summary>Keys that identify the user; each pair is unique in the environment.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; init; } = new Dictionary<string, string>();

    /// <summary>Traits by name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Traits { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The companies the user belongs to.</summary>
    public IReadOnlyList<string> CompanyIds { get; init; } = [];

    /// <summary>A user is linked to its companies (explicit: not a stored property).</summary>
    IReadOnlyCollection<string> ILinkedResource.LinkedIds => CompanyIds;

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the application last reported it.</summary>
    public DateTimeOffset? LastSeenAt { get; init; }
}
