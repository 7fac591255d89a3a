using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Access;

/// <summary>Sign in with email and password (or single sign-on when configured).</summary>
[ConsoleWrites(ConsoleArea.Public)]
public sealed class SignInModel(ConsoleAccounts accounts, ConsoleUserStore users, SignInThrottle throttle, IOptions<ConsoleOptions> options, TimeProvider time) : PageModel
{
    /// <summary>The submitted form.</summary>
    [BindProperty]
    public SignInInput Input { get; set; } = new();

    /// <summary>Where to go after signing in (a local path only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>An error sent back by single sign-on.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Error { get; set; }

    /// <summary>Whether nobody has set up the console yet.</summary>
    public bool NoUsers { get; private set; }

    /// <summary>The single sign-on button's label, or null when single sign-on is off.</summary>
    public string? SingleSignOn => options.Value.Oidc.IsEnabled ? options.Value.Oidc.DisplayName : null;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        NoUsers = !await users.AnyUserAsync(cancellationToken).ConfigureAwait(false);
        if (Error == ConsoleOpenIdConnect.NotInvitedError)
        {
            ModelState.AddModelError(string.Empty, "Your identity provider signed you in, but this console has no account or invitation for that email. Ask an admin of this console to invite you.");
        }
        else if (Error == ConsoleOpenIdConnect.FailedError)
        {
            ModelState.AddModelError(string.Empty, "Single sign-on did not complete: the identity provider refused or sent an answer the console could not verify. Try again, or sign in with your password.");
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!throttle.TryAttempt(HttpContext))
        {
            ModelState.AddModelError(string.Empty, "Too many sign-in attempts from your address. Wait a minute and try again.");
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var outcome = await accounts.SignInAsync(Input.Email, Input.Password, cancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case SignInStatus.Succeeded:
                await ConsoleAuthentication.SignInAsync(HttpContext, outcome.User!).ConfigureAwait(false);
                return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : LocalRedirect("/console");
            case SignInStatus.LockedOut:
                var minutes = Math.Max(1, (int)Math.Ceiling((outcome.LockedUntil!.Value - time.GetUtcNow()).TotalMinutes));
                ModelState.AddModelError(string.Empty, $"This account is locked after too many wrong passwords. Try again in {minutes} minute{(minutes == 1 ? string.Empty : "s")}, or ask an admin.");
                break;
            case SignInStatus.Disabled:
                ModelState.AddModelError(string.Empty, "This account has been disabled. Ask an admin of this console.");
                break;
            default:
                ModelState.AddModelError(string.Empty, "Wrong email or password.");
                break;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    /// <summary>
    /// Starts single sign-on: a link, not a form, because a form's redirect to another origin is blocked by the console's
    /// <c>form-action 'self'</c> policy. Starting a sign-in is no write; the provider's answer is checked against the
    /// state and nonce this request sets.
    /// </summary>
    public IActionResult OnGetSingleSignOn() =>
        SingleSignOn is null
            ? NotFound()
            : Challenge(new AuthenticationProperties { RedirectUri = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/console" }, ConsoleOpenIdConnect.Scheme);

    /// <summary>The sign-in form.</summary>
    public sealed class SignInInput
    {
        /// <summary>The account's email.</summary>
        [Required(ErrorMessage = "Enter your email.")]
        [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
        public string Email { get; set; } = string.Empty;

        /// <summary>The password.</summary>
        [Required(ErrorMessage = "Enter your password.")]
        [DataType(DataType.Password)]
        public string Password { get; set; } = string.Empty;
    }
}
