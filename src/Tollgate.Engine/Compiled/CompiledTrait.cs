using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>A company's or user's trait value, read in every comparable type, with its own definition's type.</summary>
internal sealed class CompiledTrait(ComparableType comparableType, ComparableText value)
{
    public ComparableType ComparableType { get; } = comparableType;

    public ComparableText Value { get; } = value;
}
