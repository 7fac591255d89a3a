namespace Tollgate.Server.Billing;

/// <summary>Log messages of the Stripe sync and import.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe sync ({EnvironmentId}): checkout named company {CompanyId}, but customer {CustomerId} already belongs to company {LinkedId}; left as it is")]
    public static partial void CustomerLinkedElsewhere(ILogger logger, string environmentId, string customerId, string linkedId, string companyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe sync ({EnvironmentId}): checkout session {SessionId} names company {Named}, but Tollgate did not create it; its customer {CustomerId} is not linked by it")]
    public static partial void CheckoutNotCreatedByTollgate(ILogger logger, string environmentId, string sessionId, string named, string customerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe import ({EnvironmentId}) stopped in phase {Phase}: {Error}")]
    public static partial void ImportFailed(ILogger logger, Exception exception, string environmentId, string phase, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe import ({EnvironmentId}) completed: {Counts}")]
    public static partial void ImportCompleted(ILogger logger, string environmentId, IReadOnlyDictionary<string, long> counts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe import ({EnvironmentId}): its progress could not be saved")]
    public static partial void ImportProgressNotSaved(ILogger logger, Exception exception, string environmentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe import ({EnvironmentId}) was interrupted; resuming from its last page")]
    public static partial void ImportResumed(ILogger logger, string environmentId);
}
