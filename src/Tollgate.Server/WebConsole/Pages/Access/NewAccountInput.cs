using System.ComponentModel.DataAnnotations;

namespace Tollgate.Server.WebConsole.Pages.Access;

/// <summary>Name and password chosen by someone joining the console (the owner at set-up, or an invited person).</summary>
public sealed class NewAccountInput
{
    /// <summary>The email (set-up only; an invitation fixes it).</summary>
    public string Email { get; set; } = string.Empty;

    /// <summary>The name shown in the console and the audit log.</summary>
    [Required(ErrorMessage = "Enter your name.")]
    [StringLength(100, ErrorMessage = "Use at most 100 characters.")]
    public string Name { get; set; } = string.Empty;

    /// <summary>The password.</summary>
    [Required(ErrorMessage = "Choose a password.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = string.Empty;

    /// <summary>The password again.</summary>
    [Required(ErrorMessage = "Repeat the password.")]
    [DataType(DataType.Password)]
    [Compare(nameof(Password), ErrorMessage = "The two passwords differ.")]
    public string ConfirmPassword { get; set; } = string.Empty;

    /// <summary>How the API's field names map to this form's.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["email"] = "Input.Email",
        ["name"] = "Input.Name",
        ["password"] = "Input.Password",
    };
}
