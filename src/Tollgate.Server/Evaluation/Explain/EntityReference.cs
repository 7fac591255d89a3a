namespace Tollgate.Server.Evaluation.Explain;

/// <summary>A company or user to check as: by id, or by keys as a check names it (<c>{"id": "acme"}</c>).</summary>
public sealed record EntityReference(string? Id, IReadOnlyDictionary<string, string>? Keys)
{
    /// <summary>By id (<c>comp_…</c>, <c>user_…</c>).</summary>
    public static EntityReference ById(string id) => new(id, null);

    /// <summary>By keys, as a check's body names it.</summary>
    public static EntityReference ByKeys(IReadOnlyDictionary<string, string> keys) => new(null, keys);

    /// <summary>Neither an id nor a key: the check is made without this entity.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(Id) && Keys is not { Count: > 0 };
}
