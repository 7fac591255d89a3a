using System.Diagnostics.CodeAnalysis;

namespace Tollgate.Server.Requests;

/// <summary>
/// A request that cannot be served as asked; answered with its status and <c>{"error": message}</c>, as Schematic
/// answers. Messages name the field first (<c>keys: must not be empty</c>).
/// </summary>
public sealed class RequestException(int statusCode, string message) : Exception(message)
{
    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode { get; } = statusCode;
}

/// <summary>Throw helpers for <see cref="RequestException"/>.</summary>
public static class Errors
{
    /// <summary>400: a field is missing or malformed.</summary>
    [DoesNotReturn]
    public static void BadRequest(string field, string problem) => throw new RequestException(StatusCodes.Status400BadRequest, $"{field}: {problem}");

    /// <summary>404: the resource does not exist in this environment.</summary>
    [DoesNotReturn]
    public static void NotFound(string what) => throw new RequestException(StatusCodes.Status404NotFound, $"{what} not found");

    /// <summary>409: the write conflicts with existing data.</summary>
    [DoesNotReturn]
    public static void Conflict(string field, string problem) => throw new RequestException(StatusCodes.Status409Conflict, $"{field}: {problem}");

    /// <summary>422: well-formed, but not acceptable in the current state.</summary>
    [DoesNotReturn]
    public static void Unprocessable(string field, string problem) => throw new RequestException(StatusCodes.Status422UnprocessableEntity, $"{field}: {problem}");
}
