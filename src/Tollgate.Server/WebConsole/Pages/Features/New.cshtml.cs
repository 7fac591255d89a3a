using Microsoft.AspNetCore.Mvc;
using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.WebConsole.Accounts;
using Tollgate.Server.WebConsole.CatalogPages;

namespace Tollgate.Server.WebConsole.Pages.Features;

/// <summary>Creates a feature (and its flag) through <see cref="FeatureService"/>, as <c>POST /features</c> does.</summary>
[ConsoleWrites(ConsoleArea.Catalog)]
internal sealed class NewModel(RuntimeRegistry runtimes, FeatureService features) : ConsolePageModel, IFeatureForm
{
    /// <summary>The form.</summary>
    [BindProperty]
    public FeatureInput Input { get; set; } = new();

    /// <summary>Company traits.</summary>
    public IReadOnlyList<TraitDefinitionRecord> Traits { get; private set; } = [];

    /// <summary>Always: this page creates.</summary>
    public bool IsNew => true;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken).ConfigureAwait(false);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        FeatureRecord? created = null;
        if (await TryAsync(async () => created = await features.CreateAsync(Console.Scope, Input.ToRequest(withKey: true), cancellationToken).ConfigureAwait(false), FeatureInput.Fields).ConfigureAwait(false))
        {
            SetFlash($"Feature “{created!.Name}” created. Grant it to plans below or in the entitlement grid.");
            return Redirect($"/console/features/{created.Id}");
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(Console.Environment.Id).CatalogAsync(cancellationToken).ConfigureAwait(false);
        Traits = [.. catalog.TraitsById.Values.Where(t => t.EntityType == EntityType.Company).OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
    }
}
