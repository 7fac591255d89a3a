using Tollgate.Server.Catalog;

namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>What the shared feature fields partial needs of its page.</summary>
public interface IFeatureForm
{
    /// <summary>The form.</summary>
    FeatureInput Input { get; }

    /// <summary>The company traits a trait feature may read.</summary>
    IReadOnlyList<TraitDefinitionRecord> Traits { get; }

    /// <summary>Whether the form creates a feature (its flag key can be chosen only then).</summary>
    bool IsNew { get; }
}
