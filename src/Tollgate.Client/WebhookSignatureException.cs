namespace Tollgate.Client;

/// <summary>A webhook's signature is missing or does not match its body, timestamp and secret.</summary>
public sealed class WebhookSignatureException : Exception
{
    /// <summary>Makes the exception.</summary>
    public WebhookSignatureException()
    {
    }

    /// <summary>Makes the exception with a message.</summary>
    public WebhookSignatureException(string message)
        : base(message)
    {
    }

    /// <summary>Makes the exception with a message and its cause.</summary>
    public WebhookSignatureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
