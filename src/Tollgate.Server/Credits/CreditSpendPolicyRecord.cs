namespace Tollgate.Server.Credits;

/// <summary>
/// A spend policy (Schematic's <c>CreditSpendPolicyResponseData</c>): no single draw of the credit type by the company
/// (<c>scope_type</c> <c>company</c>) or by the user (<c>user</c>) may take more than <see cref="MaxPerDraw"/> credits.
/// </summary>
public sealed record CreditSpendPolicyRecord
{
    /// <summary>The id (<c>bcsp_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The credit type.</summary>
    public required string BillingCreditId { get; init; }

    /// <summary>The company capped, for scope <c>company</c>.</summary>
    public string? CompanyId { get; init; }

    /// <summary>The user capped, for scope <c>user</c>.</summary>
    public string? UserId { get; init; }

    /// <summary><c>company</c> or <c>user</c>.</summary>
    public required string ScopeType { get; init; }

    /// <summary>A name for people.</summary>
    public string? Label { get; init; }

    /// <summary>The largest number of credits one draw may take.</summary>
    public double? MaxPerDraw { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
