using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Usage;

namespace Tollgate.Server.WebConsole.CompanyPage;

/// <summary>Everything the company page shows, read through the areas' services.</summary>
public sealed record CompanyOverview
{
    /// <summary>The company.</summary>
    public required CompanyRecord Company { get; init; }

    /// <summary>Its base plan, if any.</summary>
    public PlanRecord? Plan { get; init; }

    /// <summary>Its add-ons.</summary>
    public required IReadOnlyList<PlanRecord> AddOns { get; init; }

    /// <summary>Its users (the first page of its memberships).</summary>
    public required IReadOnlyList<UserRecord> Users { get; init; }

    /// <summary>The usage of each metered feature over time, with the limit it is held against.</summary>
    public required IReadOnlyList<FeatureUsageHistory> Usage { get; init; }

    /// <summary>Limits held in traits (seats): used and allowed, from the check path.</summary>
    public required IReadOnlyList<FeatureUsageResponse> TraitLimits { get; init; }

    /// <summary>Its overrides, active first, with the feature each is of.</summary>
    public required IReadOnlyList<(CompanyOverrideRecord Override, FeatureRecord? Feature, bool Active)> Overrides { get; init; }

    /// <summary>Every change to its overrides, newest first (creations, changes, ends).</summary>
    public required IReadOnlyList<AuditEntry> OverrideHistory { get; init; }

    /// <summary>Its credit balances, with each credit type's name.</summary>
    public required IReadOnlyList<(BalanceResponse Balance, string Name)> Balances { get; init; }

    /// <summary>Its credit grants.</summary>
    public required IReadOnlyList<CompanyGrantResponse> Grants { get; init; }

    /// <summary>The newest entries of its credit ledger.</summary>
    public required IReadOnlyList<LedgerEntryResponse> Ledger { get; init; }

    /// <summary>The newest entries of its audit trail.</summary>
    public required IReadOnlyList<AuditEntry> Audit { get; init; }

    /// <summary>The base plans and add-ons a plan change may choose, by name.</summary>
    public required IReadOnlyList<PlanRecord> Plans { get; init; }

    /// <summary>The features an override may be of, by name.</summary>
    public required IReadOnlyList<FeatureRecord> Features { get; init; }

    /// <summary>The credit types a grant may be of, by name.</summary>
    public required IReadOnlyList<CreditTypeRecord> CreditTypes { get; init; }

    /// <summary>The time the page was read at (overrides and trials are active or not against it).</summary>
    public required DateTimeOffset Now { get; init; }
}
