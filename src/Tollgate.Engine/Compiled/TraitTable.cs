using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>Traits by definition id; when a definition appears twice the first trait wins, as in the reference.</summary>
internal sealed class TraitTable
{
    private readonly Dictionary<string, CompiledTrait> _byDefinitionId;

    public TraitTable(IReadOnlyList<Trait> traits)
    {
        _byDefinitionId = new Dictionary<string, CompiledTrait>(traits.Count, StringComparer.Ordinal);
        foreach (var trait in traits)
        {
            if (trait.TraitDefinition is { } definition)
            {
                var value = trait.Value.Length == 0 ? ComparableText.Empty : new ComparableText(trait.Value);
                _byDefinitionId.TryAdd(definition.Id, new CompiledTrait(definition.ComparableType, value));
            }
        }
    }

    public bool TryGet(string definitionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CompiledTrait? trait) =>
        _byDefinitionId.TryGetValue(definitionId, out trait);
}
