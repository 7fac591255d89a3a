namespace Tollgate.Server.Environments;

/// <summary>
/// Who is asking: the environment every read and write of the request is confined to, and the key used — or, for a
/// request from the console, the signed-in console user (<see cref="User"/>), whose writes the audit log names.
/// </summary>
/// <param name="EnvironmentId">The one environment the request may read and write.</param>
/// <param name="ApiKeyId">The API key used; null for a console user.</param>
/// <param name="Kind">What the request may do: a console user acts with a secret key's reach (its role limits it).</param>
/// <param name="User">The console user acting, or null for an API key.</param>
public sealed record RequestScope(string EnvironmentId, string? ApiKeyId, ApiKeyKind Kind, ActingUser? User = null);
