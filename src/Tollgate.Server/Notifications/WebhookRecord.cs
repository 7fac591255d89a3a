namespace Tollgate.Server.Notifications;

/// <summary>An endpoint Tollgate posts notices to (Schematic's webhook), as stored.</summary>
public sealed record WebhookRecord
{
    /// <summary>The endpoint's id (<c>wh_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>A name for people.</summary>
    public required string Name { get; init; }

    /// <summary>Where deliveries are posted.</summary>
    public required string Url { get; init; }

    /// <summary>The key of the HMAC-SHA256 signature of each delivery.</summary>
    public required string Secret { get; init; }

    /// <summary>The request types the endpoint receives.</summary>
    public required IReadOnlyList<string> RequestTypes { get; init; }

    /// <summary>The features whose limits raise <c>entitlement.*</c> notices; none means every feature.</summary>
    public IReadOnlyList<EntitlementTriggerConfig> EntitlementTriggerConfigs { get; init; } = [];

    /// <summary>The credit types whose balances raise <c>credit.limit.*</c> notices; none means every credit type.</summary>
    public IReadOnlyList<CreditTriggerConfig> CreditTriggerConfigs { get; init; } = [];

    /// <summary><c>active</c> or <c>inactive</c> (set by a user, or by the worker after repeated failures); kept in its column.</summary>
    public string Status { get; init; } = WebhookStatuses.Active;

    /// <summary>Why the worker disabled the endpoint, if it did; cleared when a user activates it again.</summary>
    public string? DisabledReason { get; init; }

    /// <summary>When it was made.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A feature an endpoint watches for entitlement triggers.</summary>
public sealed record EntitlementTriggerConfig(string? FeatureId);

/// <summary>A credit type an endpoint watches for credit triggers.</summary>
public sealed record CreditTriggerConfig(string? CreditId);

/// <summary>The statuses of an endpoint and of a delivery.</summary>
internal static class WebhookStatuses
{
    public const string Active = "active";
    public const string Inactive = "inactive";
    public const string Pending = "pending";
    public const string Success = "success";
    public const string Failure = "failure";
}
