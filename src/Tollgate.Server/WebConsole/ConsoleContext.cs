using Tollgate.Server.Environments;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// Who is using the console and where: the signed-in user (read from the database on every request, so a role change
/// or a disabled account takes effect at once on every node), the environment they are looking at, and the
/// <see cref="RequestScope"/> with which pages call the areas' services — writes are audited under the user's name.
/// </summary>
public sealed class ConsoleContext(ConsoleUser user, EnvironmentRecord environment, IReadOnlyList<EnvironmentRecord> environments)
{
    /// <summary>The signed-in user.</summary>
    public ConsoleUser User { get; } = user;

    /// <summary>The environment the pages show and change.</summary>
    public EnvironmentRecord Environment { get; } = environment;

    /// <summary>Every environment, for the switcher.</summary>
    public IReadOnlyList<EnvironmentRecord> Environments { get; } = environments;

    /// <summary>The scope to call services with: the environment, a secret key's reach, the user as audit actor.</summary>
    public RequestScope Scope { get; } = new(environment.Id, null, ApiKeyKind.Secret, new ActingUser(user.Id, user.Name));

    /// <summary>Whether the user may write to <paramref name="area"/>.</summary>
    public bool Can(ConsoleArea area) => ConsoleRights.Can(User.Role, area);
}
