namespace Tollgate.Server.WebConsole;

/// <summary>What single sign-on tells the operator when it lets nobody in.</summary>
internal static partial class ConsoleOpenIdConnectLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Single sign-on: the identity provider vouched for someone with no console account or invitation; refused")]
    public static partial void NotInvited(ILogger logger);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Single sign-on failed: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);
}
