using Dapper;
using Tollgate.Server.Audit;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Environments;

/// <summary>
/// The publishable-key policy of each environment (<c>publishable_policies</c>), read and replaced with a secret key.
/// Not cached: ingestion reads it once per request that carries a publishable key (one primary-key read), so a change
/// holds on every node from the next request.
/// </summary>
public sealed class PublishablePolicies(Database database, AuditLog audit, TimeProvider time)
{
    /// <summary>The audit log's resource type of the policy.</summary>
    public const string Resource = "publishable_policy";

    /// <summary>The environment's policy; <see cref="PublishablePolicy.Default"/> when it never set one.</summary>
    public async Task<PublishablePolicy> GetAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var json = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition("SELECT policy FROM publishable_policies WHERE environment_id = @environmentId", new { environmentId }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return json is null ? PublishablePolicy.Default : StoredJson.Deserialize<PublishablePolicy>(json);
    }

    /// <summary>Replaces the environment's policy (recorded in the audit log) and answers it.</summary>
    public async Task<PublishablePolicy> PutAsync(RequestScope scope, PublishablePolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var environmentId = scope.EnvironmentId;
        await database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT policy FROM publishable_policies WHERE environment_id = @environmentId", new { environmentId }, transaction).ConfigureAwait(false);
                var at = time.GetUtcNow().ToUnixTimeMilliseconds();
                var json = StoredJson.Serialize(policy);
                await connection.ExecuteAsync(
                    """
                    INSERT INTO publishable_policies (environment_id, policy, updated_at) VALUES (@environmentId, @json, @at)
                    ON CONFLICT (environment_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at
                    """,
                    new { environmentId, json, at },
                    transaction).ConfigureAwait(false);
                await audit.RecordAsync(
                    connection, transaction, scope, environmentId, "update", Resource, environmentId, null,
                    before is null ? PublishablePolicy.Default : StoredJson.Deserialize<PublishablePolicy>(before), policy).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return policy;
    }
}
