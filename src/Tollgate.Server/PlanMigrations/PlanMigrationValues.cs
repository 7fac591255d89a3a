namespace Tollgate.Server.PlanMigrations;

/// <summary>The wire values of migrations, exactly as Schematic's SDK lists them (<c>PlanVersionMigrationStrategy</c>, statuses, error codes).</summary>
internal static class PlanMigrationValues
{
    public const string Immediate = "immediate";
    public const string EndOfBillingPeriod = "end_of_billing_period";
    public const string Leave = "leave";

    public const string Pending = "pending";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Skipped = "skipped";

    /// <summary>A company no longer on one of the migration's origin versions when its turn came.</summary>
    public const string NotOnOriginVersion = "not_on_origin_version";

    /// <summary><c>PlanVersionMigrationStrategy</c>.</summary>
    public static readonly IReadOnlyList<string> Strategies = [Immediate, EndOfBillingPeriod, Leave];

    /// <summary><c>PlanVersionMigrationStatus</c>.</summary>
    public static readonly IReadOnlyList<string> MigrationStatuses = [Cancelled, Completed, Failed, InProgress, Pending];

    /// <summary><c>PlanVersionCompanyMigrationStatus</c>.</summary>
    public static readonly IReadOnlyList<string> CompanyStatuses = [Cancelled, Completed, Failed, InProgress, Pending, Skipped];

    /// <summary><c>MigrationProrationBehavior</c>.</summary>
    public static readonly IReadOnlyList<string> ProrationBehaviors = ["always_invoice", "create_prorations", "none"];

    /// <summary><c>MigrationErrorCode</c>.</summary>
    public static readonly IReadOnlyList<string> ErrorCodes =
    [
        "ambiguous_subscription_item", "multiple_subscriptions", "no_price_for_interval", NotOnOriginVersion, "operation_item_not_found", "permanent_config",
        "permanent_decline", "transient_decline", "transient_infra", "transient_stripe", "unknown", "would_leave_empty_subscription",
    ];

    /// <summary>The value as one of <paramref name="values"/>, or 400 naming <paramref name="field"/>.</summary>
    public static string OneOf(string? value, string field, IReadOnlyList<string> values)
    {
        if (value is null || !values.Contains(value, StringComparer.Ordinal))
        {
            Requests.Errors.BadRequest(field, $"must be one of {string.Join(", ", values)}");
        }

        return value;
    }
}
