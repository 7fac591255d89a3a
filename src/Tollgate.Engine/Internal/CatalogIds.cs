namespace Tollgate.Engine.Internal;

/// <summary>
/// Plan, plan-version and billing-product ids are interned when flags and companies are compiled, so that set
/// conditions compare references instead of characters: two interned strings are equal exactly when they are the
/// same object. These ids come from a catalog (bounded, long-lived); company and user ids are never interned.
/// </summary>
internal static class CatalogIds
{
    public static string[] Intern(IEnumerable<string> ids) => [.. ids.Select(string.Intern)];

    /// <summary>Whether two interned id lists share an id.</summary>
    public static bool Intersect(string[] interned, string[] otherInterned)
    {
        foreach (var id in interned)
        {
            foreach (var other in otherInterned)
            {
                if (ReferenceEquals(id, other))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether an interned id list holds an interned id.</summary>
    public static bool Contains(string[] interned, string? id)
    {
        foreach (var candidate in interned)
        {
            if (ReferenceEquals(candidate, id))
            {
                return true;
            }
        }

        return false;
    }
}
