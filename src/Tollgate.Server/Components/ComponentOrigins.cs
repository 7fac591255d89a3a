using Dapper;
using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Components;

/// <summary>
/// The browser origins each environment lets call its component routes (<c>component_origins</c>, migration 22), set
/// with a secret key by <c>PUT /component-origins</c>. Read per CORS request by one indexed lookup (browsers cache a
/// preflight answer for <see cref="ComponentCors.PreflightMaxAge"/>), so a change holds on every node from the next one.
/// </summary>
internal sealed class ComponentOrigins(Database database, AuditLog audit, TimeProvider time)
{
    /// <summary>The most origins one environment may list.</summary>
    public const int MaxOrigins = 100;

    /// <summary>The environments that allow <paramref name="origin"/>.</summary>
    public async Task<IReadOnlyList<string>> EnvironmentsAllowingAsync(string origin, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<string>(
            new CommandDefinition("SELECT environment_id FROM component_origins WHERE origin = @origin", new { origin }, cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    /// <summary>The environment's allowed origins, in order.</summary>
    public async Task<IReadOnlyList<string>> GetAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<string>(
            new CommandDefinition("SELECT origin FROM component_origins WHERE environment_id = @environmentId ORDER BY origin", new { environmentId }, cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    /// <summary>Replaces the environment's allowed origins (each <c>scheme://host[:port]</c>); recorded in the audit log.</summary>
    public async Task<IReadOnlyList<string>> PutAsync(RequestScope scope, IReadOnlyList<string?>? origins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var normalized = Normalize(origins);
        var environmentId = scope.EnvironmentId;
        var before = await GetAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync("DELETE FROM component_origins WHERE environment_id = @environmentId", new { environmentId }, transaction).ConfigureAwait(false);
                foreach (var origin in normalized)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO component_origins (environment_id, origin, created_at) VALUES (@environmentId, @origin, @at)", new { environmentId, origin, at }, transaction).ConfigureAwait(false);
                }

                await audit.RecordAsync(connection, transaction, scope, environmentId, "update", "component_origins", environmentId, null, before, normalized).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return normalized;
    }

    private static string[] Normalize(IReadOnlyList<string?>? origins)
    {
        if (origins is null)
        {
            Errors.BadRequest("origins", "is required (an empty list allows no origin)");
        }

        if (origins.Count > MaxOrigins)
        {
            Errors.BadRequest("origins", $"at most {MaxOrigins} origins");
        }

        var normalized = new List<string>();
        for (var i = 0; i < origins.Count; i++)
        {
            var text = Validate.Required(origins[i], $"origins[{i}]");
            // An origin is a scheme, a host and a port, nothing else: browsers send exactly that in the Origin header.
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/" || text.EndsWith('/'))
            {
                Errors.BadRequest($"origins[{i}]", "must be an origin: http(s)://host[:port], without a path");
            }

            normalized.Add(uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant());
        }

        return [.. normalized.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
