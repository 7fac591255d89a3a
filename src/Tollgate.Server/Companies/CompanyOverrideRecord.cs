using Tollgate.Server.Catalog;

namespace Tollgate.Server.Companies;

/// <summary>A feature value for one company that beats its plans, until it expires.</summary>
public sealed record CompanyOverrideRecord : GrantRecord
{
    /// <summary>The company it applies to.</summary>
    public required string CompanyId { get; init; }

    /// <summary>The instant the override stops applying; none means it never does.</summary>
    public DateTimeOffset? ExpirationDate { get; init; }

    /// <summary>Why it was granted.</summary>
    public string? Note { get; init; }

    /// <summary>Whether it applies at <paramref name="now"/>: it has no expiry, or expires later.</summary>
    public bool IsActiveAt(DateTimeOffset now) => ExpirationDate is not { } at || at > now;
}
