namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// <c>POST /plan-version-migrations</c> (Schematic's <c>CreateMigrationInput</c>): the companies of a plan on the origin
/// versions (all its other versions when none are named; only <c>company_ids</c> when given; never the
/// <c>excluded_company_ids</c>, which keep their version) move to <c>plan_version_id_to</c>.
/// </summary>
internal sealed record CreateMigrationRequest(
    IReadOnlyList<string?>? CompanyIds,
    IReadOnlyList<string?>? ExcludedCompanyIds,
    string? PlanId,
    string? PlanVersionIdTo,
    IReadOnlyList<string?>? PlanVersionIdsFrom,
    string? ProrationBehavior,
    string? Strategy,
    string? TargetPlanType);

/// <summary><c>POST /plan-version-migrations/preview</c> (Schematic's <c>PreviewMigrationRequestBody</c>).</summary>
internal sealed record PreviewMigrationRequest(
    IReadOnlyList<string?>? CompanyIds,
    IReadOnlyList<string?>? ExcludedCompanyIds,
    string? PlanId,
    string? PlanVersionIdTo,
    IReadOnlyList<string?>? PlanVersionIdsFrom,
    string? TargetPlanType);

/// <summary><c>POST /plan-version-migrations/{id}/retry</c>: the failed companies with these error codes are tried again.</summary>
internal sealed record RetryMigrationRequest(IReadOnlyList<string?>? ErrorCodes);

/// <summary><c>POST /plan-version-migrations/{id}/complete-now</c>: what is left, and what is scheduled, moves at once.</summary>
internal sealed record CompleteMigrationNowRequest(string? ProrationBehavior);
