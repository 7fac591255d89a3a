using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole;

/// <summary>
/// Declares what a page's (or one handler's) POSTs change. A console POST without this declaration is refused, and so
/// is one from a user whose role may not write to the area (<see cref="ConsoleRights"/>): the default is deny.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class ConsoleWritesAttribute(ConsoleArea area) : Attribute
{
    /// <summary>The area the writes touch.</summary>
    public ConsoleArea Area { get; } = area;
}
