namespace Tollgate.Engine.Model;

/// <summary>Whose traits a trait definition describes.</summary>
public enum EntityType
{
    /// <summary>A company trait.</summary>
    Company,

    /// <summary>A user trait.</summary>
    User,
}
