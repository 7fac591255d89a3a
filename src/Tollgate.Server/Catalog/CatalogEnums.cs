namespace Tollgate.Server.Catalog;

/// <summary>What a feature measures.</summary>
public enum FeatureType
{
    /// <summary>On or off.</summary>
    Boolean,

    /// <summary>Metered: usage of an event subtype counted per period against a limit.</summary>
    Event,

    /// <summary>A limit on a company trait, such as seats.</summary>
    Trait,
}

/// <summary>Whether a plan is a base plan or an add-on.</summary>
public enum PlanType
{
    /// <summary>A base plan; a company has at most one.</summary>
    Plan,

    /// <summary>An add-on; a company may have several.</summary>
    AddOn,
}

/// <summary>The kind of value an entitlement or override grants.</summary>
public enum EntitlementValueKind
{
    /// <summary>On (or, for an override, off).</summary>
    Boolean,

    /// <summary>A numeric limit per metric period.</summary>
    Numeric,

    /// <summary>No limit.</summary>
    Unlimited,

    /// <summary>The limit is the value of a company trait.</summary>
    Trait,

    /// <summary>Each use burns credits at a consumption rate.</summary>
    Credit,
}

/// <summary>Where a plan version is in its life (spec §5: <c>draft|published|archived</c>).</summary>
public enum PlanVersionStatus
{
    /// <summary>Being edited; no company is on it.</summary>
    Draft,

    /// <summary>The version new assignments get; a plan has exactly one.</summary>
    Published,

    /// <summary>Replaced by a newer published version; companies left on it keep its entitlements.</summary>
    Archived,
}

/// <summary>How companies on a plan move when a new version is published (spec §5 <c>migration_strategy</c>).</summary>
public enum MigrationStrategy
{
    /// <summary>Every company on the plan moves at once, except the excluded ones.</summary>
    Immediate,

    /// <summary>Each company moves at the end of its billing period (at once if it has none).</summary>
    EndOfBillingPeriod,

    /// <summary>Companies stay on the version they have; only new assignments get the new one.</summary>
    Leave,
}
