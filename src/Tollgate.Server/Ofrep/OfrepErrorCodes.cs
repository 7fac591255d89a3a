namespace Tollgate.Server.Ofrep;

/// <summary>OpenFeature's error codes as OFREP answers them (https://openfeature.dev/specification/types#error-code).</summary>
internal static class OfrepErrorCodes
{
    public const string ParseError = "PARSE_ERROR";
    public const string InvalidContext = "INVALID_CONTEXT";
    public const string FlagNotFound = "FLAG_NOT_FOUND";
    public const string General = "GENERAL";
}
