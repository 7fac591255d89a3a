namespace Tollgate.Server.Catalog;

/// <summary>
/// A plan version as the API answers it: Schematic's <c>PlanVersionResponseData</c> (the plan's name, description and
/// type with the version's id, number and status; the description is a string, empty when the plan has none) and Tollgate's own fields (<c>plan_id</c>, when it was published or
/// archived, and how companies moved).
/// </summary>
public sealed record PlanVersionResponse(
    string Id,
    string PlanId,
    string EnvironmentId,
    string Name,
    string Description,
    string Icon,
    PlanType PlanType,
    int Version,
    PlanVersionStatus Status,
    MigrationStrategy? MigrationStrategy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? ArchivedAt)
{
    /// <summary>The response shape of a version of <paramref name="plan"/>.</summary>
    public static PlanVersionResponse From(PlanVersionRecord version, PlanRecord plan, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(plan);
        return new(
            version.Id, version.PlanId, environmentId, plan.Name, plan.Description ?? string.Empty, plan.Icon ?? PlanIcons.Default, plan.PlanType, version.Version, version.Status, version.MigrationStrategy,
            version.CreatedAt, version.UpdatedAt, version.PublishedAt, version.ArchivedAt);
    }
}
