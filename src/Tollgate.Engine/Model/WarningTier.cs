namespace Tollgate.Engine.Model;

/// <summary>A usage level at which the customer should be warned; passed through untouched.</summary>
public sealed record WarningTier
{
    /// <summary>The tier's key.</summary>
    public required string Key { get; init; }

    /// <summary>The usage level.</summary>
    public required long Value { get; init; }
}
