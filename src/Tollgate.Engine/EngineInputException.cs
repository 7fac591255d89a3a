namespace Tollgate.Engine;

/// <summary>
/// Thrown by the JSON entry points when an input is outside what Schematic's engine accepts: malformed JSON, a missing
/// required field, a decimal in an integer field, or an unknown enum value. The message names the field the way the
/// reference engine does (for example <c>missing field `accountId`</c>), so callers can show it as is.
/// </summary>
public sealed class EngineInputException : FormatException
{
    /// <summary>Creates the exception with a message that names the offending field.</summary>
    public EngineInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying parse error.</summary>
    public EngineInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public EngineInputException()
        : base("invalid rules-engine input")
    {
    }
}
