namespace Tollgate.Client;

/// <summary>The company an identified user belongs to (the official SDK's <c>EventBodyIdentifyCompany</c>).</summary>
public sealed record IdentifyCompany
{
    /// <summary>The keys that identify the company.</summary>
    public required IReadOnlyDictionary<string, string> Keys { get; init; }

    /// <summary>The company's name.</summary>
    public string? Name { get; init; }

    /// <summary>The company's traits.</summary>
    public IReadOnlyDictionary<string, object?>? Traits { get; init; }
}
