namespace Tollgate.Engine.Model;

/// <summary>A condition's operator. Unknown operators are accepted; comparisons with them fail.</summary>
public enum ComparisonOperator
{
    /// <summary>An operator this engine does not know.</summary>
    Unknown,

    /// <summary><c>eq</c></summary>
    Equal,

    /// <summary><c>ne</c></summary>
    NotEqual,

    /// <summary><c>gt</c></summary>
    GreaterThan,

    /// <summary><c>lt</c></summary>
    LessThan,

    /// <summary><c>gte</c></summary>
    GreaterThanOrEqual,

    /// <summary><c>lte</c></summary>
    LessThanOrEqual,

    /// <summary><c>is_empty</c></summary>
    IsEmpty,

    /// <summary><c>not_empty</c></summary>
    NotEmpty,
}
