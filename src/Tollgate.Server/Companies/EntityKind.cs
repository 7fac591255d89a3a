using System.Text.Json;
using Tollgate.Engine.Model;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>What differs between companies and users where both are written the same way (<see cref="EntityWriter"/>).</summary>
internal sealed record EntityKind<T>(
    string Name,
    string ResourceKind,
    EntityType TraitEntityType,
    Func<T, IReadOnlyDictionary<string, JsonElement>, DateTimeOffset, T> WithTraits,
    ChangeKind ChangeKind)
    where T : class, IEntityRecord
{
    /// <summary>The entity type of <see cref="EntityKeys"/>: the same word as the name.</summary>
    public string KeyType => Name;

    /// <summary>The company id audit records of this entity carry: a company's own, none for a user.</summary>
    public string? AuditCompanyId(T record) => TraitEntityType == EntityType.Company ? record.Id : null;
}

/// <summary>The two entity kinds.</summary>
internal static class EntityKinds
{
    public static readonly EntityKind<CompanyRecord> Company = new(
        EntityKeys.Company, ResourceKinds.Company, EntityType.Company, (c, traits, now) => c with { Traits = traits, UpdatedAt = now }, ChangeKind.Company);

    public static readonly EntityKind<UserRecord> User = new(
        EntityKeys.User, ResourceKinds.User, EntityType.User, (u, traits, now) => u with { Traits = traits, UpdatedAt = now }, ChangeKind.User);
}
