namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// One company of a migration (a row of <c>plan_version_company_migrations</c>): its state is written in the same
/// transaction as the company's move, so a restart neither loses a move nor makes one twice. Times in Unix milliseconds.
/// </summary>
internal sealed class CompanyMigrationRow
{
    public string Id { get; set; } = string.Empty;

    public string MigrationId { get; set; } = string.Empty;

    public string CompanyId { get; set; } = string.Empty;

    public string CompanyName { get; set; } = string.Empty;

    public string? PlanVersionIdFrom { get; set; }

    public string Status { get; set; } = PlanMigrationValues.Pending;

    public string? Error { get; set; }

    public string? ErrorCode { get; set; }

    public long? ScheduledFor { get; set; }

    public long? StartedAt { get; set; }

    public long? CompletedAt { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}
