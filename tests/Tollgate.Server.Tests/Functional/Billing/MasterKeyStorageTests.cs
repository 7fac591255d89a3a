using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>With a master key configured, the Data Protection keys that encrypt a Stripe connection's secrets are themselves stored encrypted.</summary>
public sealed class MasterKeyStorageTests(MasterKeyStorageTests.Server server) : IClassFixture<MasterKeyStorageTests.Server>
{
    [Fact]
    public async Task TheKeyRingInTheDatabaseIsEncryptedAndTheConnectionStillWorks()
    {
        var world = await StripeWorld.CreateAsync(server);

        (await world.Api.PostAsync("/billing/stripe/connection/check", null)).ShouldBe(System.Net.HttpStatusCode.OK);
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var keys = (await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("TOLLGATE_MASTER_KEY", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
    }

    /// <summary>The server on SQLite with a fake Stripe and a master key.</summary>
    public sealed class Server() : StripeTollgateFactory(StoreKind.Sqlite)
    {
        /// <inheritdoc />
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
            [.. base.ExtraSettings(), new("Tollgate:MasterKey", "a master key for the tests")];
    }
}
