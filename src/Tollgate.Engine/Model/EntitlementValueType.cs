namespace Tollgate.Engine.Model;

/// <summary>The kind of value a feature entitlement grants.</summary>
public enum EntitlementValueType
{
    /// <summary>On or off.</summary>
    Boolean,

    /// <summary>Burns credits at a consumption rate.</summary>
    Credit,

    /// <summary>A numeric limit on a usage metric.</summary>
    Numeric,

    /// <summary>A limit held in a company trait.</summary>
    Trait,

    /// <summary>Not known.</summary>
    Unknown,

    /// <summary>No limit.</summary>
    Unlimited,
}
