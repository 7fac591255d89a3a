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
