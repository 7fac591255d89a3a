using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Operations;

/// <summary>
/// Environments (create, rename, retype) and, per environment, its API keys (create, revoke) and publishable-key policy,
/// through the same <c>EnvironmentStore</c> and <c>PublishablePolicies</c> calls as <c>/environments</c> and <c>/api-keys</c>.
/// A new key's text is rendered in the POST's own answer and nowhere else: it is never put in TempData (a cookie), never
/// stored, and a reload or any later page shows only its hint.
/// </summary>
[ConsoleWrites(ConsoleArea.Operations)]
internal sealed class EnvironmentsModel(EnvironmentStore store, PublishablePolicies policies) : ConsolePageModel
{
    /// <summary>Every live environment.</summary>
    public IReadOnlyList<EnvironmentRecord> Environments { get; private set; } = [];

    /// <summary>The environment whose keys are shown (<c>?env=</c>, else the console's current one).</summary>
    public EnvironmentRecord Selected { get; private set; } = null!;

    /// <summary>The selected environment's keys, live first, each only with its hint.</summary>
    public IReadOnlyList<ApiKeyRecord> Keys { get; private set; } = [];

    /// <summary>The selected environment's publishable-key policy.</summary>
    public PublishablePolicy Policy { get; private set; } = PublishablePolicy.Default;

    /// <summary>The key just made: its record and its full text, shown in this answer only.</summary>
    public (ApiKeyRecord Record, string Key)? NewKey { get; private set; }

    /// <summary>The new-key form.</summary>
    [BindProperty]
    public KeyInput NewKeyInput { get; set; } = new();

    /// <summary>The new-environment form.</summary>
    [BindProperty]
    public EnvironmentInput NewEnvironment { get; set; } = new();

    /// <summary>The publishable-policy form.</summary>
    [BindProperty]
    public PolicyInput PolicyForm { get; set; } = new();

    /// <summary>The selectable environment types.</summary>
    public static IEnumerable<string> Types => EnvironmentTypes.All.Select(t => t.Value);

    public async Task OnGetAsync(string? env, CancellationToken cancellationToken)
    {
        await LoadAsync(env, cancellationToken).ConfigureAwait(false);
        PolicyForm = PolicyInput.From(Policy);
    }

    public async Task<IActionResult> OnPostCreateKeyAsync(string env, CancellationToken cancellationToken)
    {
        var kind = NewKeyInput.Kind == "publishable" ? ApiKeyKind.Publishable : ApiKeyKind.Secret;
        (ApiKeyRecord, string)? made = null;
        var ok = await TryAsync(
            async () =>
            {
                var environment = await RequireEnvironmentAsync(env, cancellationToken).ConfigureAwait(false);
                made = await store.CreateKeyAsync(
                    environment.Id,
                    kind,
                    Validate.Required(NewKeyInput.Name, "name"),
                    null,
                    ScopeFor(environment.Id),
                    cancellationToken,
                    Validate.Bounded(NewKeyInput.Description, "description")).ConfigureAwait(false);
            },
            KeyFields).ConfigureAwait(false);
        await LoadAsync(env, cancellationToken).ConfigureAwait(false);
        PolicyForm = PolicyInput.From(Policy);
        if (ok)
        {
            // Answered here, not after a redirect: the key's text must not travel in a cookie or be shown twice.
            NewKey = made;
            NewKeyInput = new KeyInput();
            ModelState.Clear();
            Response.Headers.CacheControl = "no-store";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(string env, string keyId, CancellationToken cancellationToken)
    {
        if (await TryAsync(async () =>
            {
                if (!await store.RevokeKeyAsync(env, keyId, ScopeFor(env), cancellationToken).ConfigureAwait(false))
                {
                    throw new RequestException(StatusCodes.Status404NotFound, "This key does not exist or is already revoked.");
                }
            }).ConfigureAwait(false))
        {
            SetFlash("Key revoked: every request made with it is now refused.");
            return RedirectToPage(new { env });
        }

        return await ReloadAsync(env, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostCreateEnvironmentAsync(CancellationToken cancellationToken)
    {
        (ApiKeyRecord, string)? made = null;
        EnvironmentRecord? created = null;
        var ok = await TryAsync(
            async () =>
            {
                var name = Validate.Required(NewEnvironment.Name, "name");
                var type = Validate.OneOf(NewEnvironment.Type, "environment_type", EnvironmentTypes.All);
                created = await store.CreateEnvironmentAsync(name, cancellationToken, type).ConfigureAwait(false);
                made = await store.CreateKeyAsync(created.Id, ApiKeyKind.Secret, "default", null, ScopeFor(created.Id), cancellationToken).ConfigureAwait(false);
            },
            EnvironmentFields).ConfigureAwait(false);
        await LoadAsync(ok ? created!.Id : null, cancellationToken).ConfigureAwait(false);
        PolicyForm = PolicyInput.From(Policy);
        if (ok)
        {
            NewKey = made;
            NewEnvironment = new EnvironmentInput();
            ModelState.Clear();
            Response.Headers.CacheControl = "no-store";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostUpdateEnvironmentAsync(string env, string? name, string? type, CancellationToken cancellationToken)
    {
        if (await TryAsync(() => store.UpdateEnvironmentAsync(
                Console.Scope,
                env,
                Validate.Required(name, "name"),
                Validate.OneOf(type, "environment_type", EnvironmentTypes.All),
                cancellationToken)).ConfigureAwait(false))
        {
            SetFlash("Environment saved.");
            return RedirectToPage(new { env });
        }

        return await ReloadAsync(env, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostPolicyAsync(string env, CancellationToken cancellationToken)
    {
        if (await TryAsync(() => policies.PutAsync(ScopeFor(env), PolicyForm.ToRequest().ToPolicy(), cancellationToken), PolicyFields).ConfigureAwait(false))
        {
            SetFlash("Publishable-key policy saved.");
            return RedirectToPage(new { env });
        }

        await LoadAsync(env, cancellationToken).ConfigureAwait(false);
        return Page();
    }

    private async Task<IActionResult> ReloadAsync(string? env, CancellationToken cancellationToken)
    {
        await LoadAsync(env, cancellationToken).ConfigureAwait(false);
        PolicyForm = PolicyInput.From(Policy);
        return Page();
    }

    /// <summary>The console user acting in <paramref name="environmentId"/> (keys and policies are audited in their environment).</summary>
    private RequestScope ScopeFor(string environmentId) => Console.Scope with { EnvironmentId = environmentId };

    private async Task<EnvironmentRecord> RequireEnvironmentAsync(string? environmentId, CancellationToken cancellationToken) =>
        environmentId is null ? Console.Environment
            : await store.GetEnvironmentAsync(environmentId, cancellationToken).ConfigureAwait(false) ?? throw new RequestException(StatusCodes.Status404NotFound, "environment not found");

    private async Task LoadAsync(string? env, CancellationToken cancellationToken)
    {
        Environments = await store.ListEnvironmentsAsync(cancellationToken).ConfigureAwait(false);
        Selected = Environments.FirstOrDefault(e => e.Id == env) ?? Environments.FirstOrDefault(e => e.Id == Console.Environment.Id) ?? Console.Environment;
        Keys = [.. (await store.ListKeysAsync(Selected.Id, cancellationToken).ConfigureAwait(false)).OrderBy(k => k.RevokedAt is not null).ThenByDescending(k => k.CreatedAt)];
        Policy = await policies.GetAsync(Selected.Id, cancellationToken).ConfigureAwait(false);
    }

    private static readonly Dictionary<string, string> KeyFields = new(StringComparer.Ordinal)
    {
        ["name"] = "NewKeyInput.Name",
        ["description"] = "NewKeyInput.Description",
    };

    private static readonly Dictionary<string, string> EnvironmentFields = new(StringComparer.Ordinal)
    {
        ["name"] = "NewEnvironment.Name",
        ["environment_type"] = "NewEnvironment.Type",
    };

    private static readonly Dictionary<string, string> PolicyFields = new(StringComparer.Ordinal)
    {
        ["max_quantity"] = "PolicyForm.MaxQuantity",
        ["company_traits"] = "PolicyForm.CompanyTraits",
        ["user_traits"] = "PolicyForm.UserTraits",
    };

    /// <summary>The new-key form.</summary>
    public sealed class KeyInput
    {
        /// <summary>What the key is called.</summary>
        public string? Name { get; set; }

        /// <summary>What it is for.</summary>
        public string? Description { get; set; }

        /// <summary><c>secret</c> or <c>publishable</c>.</summary>
        public string Kind { get; set; } = "secret";
    }

    /// <summary>The new-environment form.</summary>
    public sealed class EnvironmentInput
    {
        /// <summary>Its name.</summary>
        public string? Name { get; set; }

        /// <summary>Its type.</summary>
        public string Type { get; set; } = EnvironmentTypes.Development;
    }

    /// <summary>The publishable-key policy form (trait names comma-separated).</summary>
    public sealed class PolicyInput
    {
        public bool CreateCompanies { get; set; }

        public bool CreateUsers { get; set; }

        public string? CompanyTraits { get; set; }

        public string? UserTraits { get; set; }

        public bool UsageReachesBilling { get; set; }

        [Range(1, long.MaxValue, ErrorMessage = "Enter a whole number of at least 1.")]
        public long MaxQuantity { get; set; } = PublishablePolicy.DefaultMaxQuantity;

        /// <summary>The form filled with a policy.</summary>
        public static PolicyInput From(PublishablePolicy policy) => new()
        {
            CreateCompanies = policy.CreateCompanies,
            CreateUsers = policy.CreateUsers,
            CompanyTraits = string.Join(", ", policy.CompanyTraits),
            UserTraits = string.Join(", ", policy.UserTraits),
            UsageReachesBilling = policy.UsageReachesBilling,
            MaxQuantity = policy.MaxQuantity,
        };

        /// <summary>The API's request for this form (validated by the same <c>ToPolicy</c>).</summary>
        public PublishablePolicyRequest ToRequest() =>
            new(CreateCompanies, CreateUsers, Split(CompanyTraits), Split(UserTraits), UsageReachesBilling, MaxQuantity);

        private static string?[] Split(string? names) =>
            [.. (names ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
    }
}
