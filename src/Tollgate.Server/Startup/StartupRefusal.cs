namespace Tollgate.Server.Startup;

/// <summary>
/// The server will not start with the configuration it was given; the message names the setting and what to change.
/// <c>Program</c> prints it without a stack trace and exits with code 2.
/// </summary>
internal sealed class StartupRefusal(string message) : Exception(message);
