namespace Tollgate.Server.Environments;

/// <summary>Who is asking: the environment every read and write of the request is confined to, and the key used.</summary>
public sealed record RequestScope(string EnvironmentId, string ApiKeyId, ApiKeyKind Kind);
