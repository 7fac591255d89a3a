using System.Collections.Frozen;
using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>Traits by definition id; when a definition appears twice the first trait wins, as in the reference.</summary>
internal sealed class TraitTable
{
    // Frozen: a check looks traits up many times and the table never changes.
    private readonly FrozenDictionary<string, CompiledTrait> _byDefinitionId;

    public TraitTable(IReadOnlyList<Trait> traits)
    {
        var byDefinitionId = new Dictionary<string, CompiledTrait>(traits.Count, StringComparer.Ordinal);
        foreach (var trait in traits)
        {
            if (trait.TraitDefinition is { } definition)
            {
                var value = trait.Value.Length == 0 ? ComparableText.Empty : new ComparableText(trait.Value);
                byDefinitionId.TryAdd(definition.Id, new CompiledTrait(definition.ComparableType, value));
            }
        }

        _byDefinitionId = byDefinitionId.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public bool TryGet(string definitionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CompiledTrait? trait) =>
        _byDefinitionId.TryGetValue(definitionId, out trait);
}
