using System.Text.Json;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Companies;

/// <summary>
/// The rules an upsert made by an event (an <c>identify</c>, or a <c>track</c> naming an unknown company) is held to,
/// checked inside its write transaction against the record as stored, so that no concurrent write slips between the
/// check and the write. <paramref name="Field"/> is where the entity sits in the event (<c>body</c>,
/// <c>body.company</c>), for messages. With a publishable key (<paramref name="Publishable"/> is the environment's
/// policy) the upsert may not create what the policy does not let it, may set only allow-listed traits, and may never
/// touch keys, names or reserved keys. Any event upsert creates trait definitions only up to
/// <see cref="Catalog.TraitDefinitionService.MaxDefinitionsMadeByEvents"/>.
/// </summary>
internal sealed record EventWriteRules(string Field, PublishablePolicy? Publishable)
{
    /// <summary>The field of the keys, for messages.</summary>
    public string KeysField => $"{Field}.keys";

    /// <summary>The field of the traits, for messages.</summary>
    public string TraitsField => $"{Field}.traits";

    /// <summary>Throws a <see cref="RequestException"/> naming the field when a publishable key may not make this company write.</summary>
    public void CheckCompany(CompanyRecord? before, IReadOnlyDictionary<string, string> keys, string? name, IReadOnlyDictionary<string, JsonElement>? traits)
    {
        if (Publishable is { } policy)
        {
            Check(EntityKeys.Company, policy.CreateCompanies, "create_companies", policy.CompanyTraits, "company_traits", before, before?.Name, keys, name, traits);
        }
    }

    /// <summary>The same for a user, who may also not be added to a company it is not a member of yet.</summary>
    public void CheckUser(UserRecord? before, IReadOnlyDictionary<string, string> keys, string? name, IReadOnlyDictionary<string, JsonElement>? traits, IEnumerable<string> companyIds)
    {
        if (Publishable is not { } policy)
        {
            return;
        }

        Check(EntityKeys.User, policy.CreateUsers, "create_users", policy.UserTraits, "user_traits", before, before?.Name, keys, name, traits);
        if (before is not null && companyIds.Any(id => !before.CompanyIds.Contains(id, StringComparer.Ordinal)))
        {
            Refuse($"{Field}.company", "a publishable key may not add an existing user to another company");
        }
    }

    private void Check(
        string entity,
        bool mayCreate,
        string createSetting,
        IReadOnlyList<string> allowedTraits,
        string traitsSetting,
        IEntityRecord? before,
        string? storedName,
        IReadOnlyDictionary<string, string> keys,
        string? name,
        IReadOnlyDictionary<string, JsonElement>? traits)
    {
        foreach (var key in keys.Keys)
        {
            if (ReservedKeys.Owners.TryGetValue(key, out var owner))
            {
                Refuse($"{KeysField}.{key}", $"reserved for {owner}; a publishable key may not set it");
            }
        }

        if (before is null && !mayCreate)
        {
            Refuse(KeysField, $"names no {entity}, and this environment's publishable keys may not create one (publishable policy {createSetting})");
        }

        if (before is not null)
        {
            // Matching is by any one pair, so a pair the entity does not have would be added to it: refused as a change.
            foreach (var (key, value) in keys)
            {
                if (!before.Keys.TryGetValue(key, out var stored) || stored != value)
                {
                    Refuse($"{KeysField}.{key}", $"a publishable key may not add or change keys of an existing {entity}");
                }
            }

            if (name is not null && name != storedName)
            {
                Refuse($"{Field}.name", $"a publishable key may not rename an existing {entity}");
            }
        }

        foreach (var (trait, value) in traits ?? new Dictionary<string, JsonElement>())
        {
            // A trait sent with the value it already has changes nothing (the SDKs repeat traits on every identify).
            var unchanged = before is not null && before.Traits.TryGetValue(trait, out var stored) && stored.GetRawText() == value.GetRawText();
            if (!unchanged && !allowedTraits.Contains(trait, StringComparer.Ordinal))
            {
                Refuse($"{TraitsField}.{trait}", $"not in this environment's publishable allow-list (publishable policy {traitsSetting})");
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Refuse(string field, string problem) => throw new RequestException(StatusCodes.Status403Forbidden, $"{field}: {problem}");
}
