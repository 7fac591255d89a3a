using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Account;

/// <summary>The signed-in user's own account: who they are, their role, and a new password.</summary>
[ConsoleWrites(ConsoleArea.Self)]
public sealed class IndexModel(ConsoleAccounts accounts) : ConsolePageModel
{
    /// <summary>The password form.</summary>
    [BindProperty]
    public PasswordInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        ConsoleUser? updated = null;
        if (!await TryAsync(async () => updated = await accounts.ChangePasswordAsync(Console.User, Input.CurrentPassword, Input.NewPassword, cancellationToken).ConfigureAwait(false), Fields).ConfigureAwait(false))
        {
            return Page();
        }

        // The new security stamp ends every other session; this one continues with a fresh cookie.
        await ConsoleAuthentication.SignInAsync(HttpContext, updated!).ConfigureAwait(false);
        SetFlash("Password changed. Your other sessions have been signed out.");
        return RedirectToPage();
    }

    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["current_password"] = "Input.CurrentPassword",
        ["password"] = "Input.NewPassword",
    };

    /// <summary>The password form.</summary>
    public sealed class PasswordInput
    {
        /// <summary>The password now.</summary>
        [Required(ErrorMessage = "Enter your current password.")]
        [DataType(DataType.Password)]
        public string CurrentPassword { get; set; } = string.Empty;

        /// <summary>The new password.</summary>
        [Required(ErrorMessage = "Choose a new password.")]
        [DataType(DataType.Password)]
        public string NewPassword { get; set; } = string.Empty;

        /// <summary>The new password again.</summary>
        [Required(ErrorMessage = "Repeat the new password.")]
        [DataType(DataType.Password)]
        [Compare(nameof(NewPassword), ErrorMessage = "The two passwords differ.")]
        public string ConfirmPassword { get; set; } = string.Empty;
    }
}
