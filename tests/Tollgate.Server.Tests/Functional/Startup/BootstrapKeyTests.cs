using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tollgate.Server.Secrets;
using Tollgate.Server.Startup;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Startup;

/// <summary>
/// The bootstrap against an existing database: a configured key that was revoked refuses the start rather than
/// coming back to life, an unknown one is added, a weak one is refused before anything is written, and key-ring
/// entries written under the old master-key derivation are re-encrypted under PBKDF2 and stay readable.
/// </summary>
public abstract class BootstrapKeyTests(TollgateFactory server)
{
    [Fact]
    public async Task AStartWithARevokedKeyIsRefusedAndTheKeyStaysRevoked()
    {
        var environment = await server.NewEnvironmentAsync();
        (await environment.DeleteAsync($"/api-keys/{environment.KeyId}")).ShouldBe(HttpStatusCode.OK);

        var refusal = await Assert.ThrowsAsync<StartupRefusal>(() => BootstrapWith(new TollgateOptions { ApiKey = environment.Key }).RunAsync(CancellationToken.None));

        Assert.Contains("TOLLGATE_API_KEY", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"{environment.KeyId}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("revoked", refusal.Message, StringComparison.Ordinal);
        (await server.Api(environment.Key).GetAsync("/environment")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AStartWithAnUnknownStrongKeyAddsItToTheFirstEnvironment()
    {
        var key = "tg_sk_" + Ids.Secret(32);

        await BootstrapWith(new TollgateOptions { ApiKey = key }).RunAsync(CancellationToken.None);

        (await server.Api(key).GetAsync("/environment")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AStartWithAWeakKeyIsRefusedAndWritesNothing()
    {
        const string weak = "tg_sk_0000000000000000000000000000000000";

        var refusal = await Assert.ThrowsAsync<StartupRefusal>(() => BootstrapWith(new TollgateOptions { ApiKey = weak }).RunAsync(CancellationToken.None));

        Assert.Contains("TOLLGATE_API_KEY (Tollgate:ApiKey) is too weak", refusal.Message, StringComparison.Ordinal);
        (await server.Api(weak).GetAsync("/environment")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task KeysUnderTheOldMasterKeyDerivationAreReEncryptedUnderPbkdf2AtStart()
    {
        const string passphrase = "an old master passphrase";
        var database = server.Services.GetRequiredService<Database>();
        var id = $"old-{Guid.NewGuid():N}";
        var material = new XElement("masterKey", new XElement("value", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        var legacy = new XElement(
            "key",
            new XAttribute("id", id),
            new XElement("encryptedSecret", MasterKeyXmlEncryptor.Seal(material, SHA256.HashData(Encoding.UTF8.GetBytes(passphrase)), derivation: null)));
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "INSERT INTO data_protection_keys (id, xml, created_at) VALUES (@id, @xml, 0)", new { id, xml = legacy.ToString() }, transaction),
            CancellationToken.None);

        var derivation = new MasterKeyDerivation(passphrase, iterations: 1_000);
        var upgrade = ActivatorUtilities.CreateInstance<MasterKeyUpgrade>(server.Services, derivation);
        Assert.True(await upgrade.RunAsync(CancellationToken.None) >= 1);

        await using var read = await database.OpenAsync(CancellationToken.None);
        var stored = XElement.Parse(await read.QuerySingleAsync<string>("SELECT xml FROM data_protection_keys WHERE id = @id", new { id }));
        var encrypted = stored.Descendants("encryptedKey").Single();
        var kdf = encrypted.Element(MasterKeyDerivation.DerivationElement);
        Assert.Equal("pbkdf2-sha256", (string?)kdf?.Attribute("name"));
        Assert.Equal(material.ToString(), MasterKeyXmlEncryptor.Open(encrypted, new MasterKeyDerivation(passphrase, iterations: 1_000)).ToString());

        // Upgraded once: a second start has nothing left to do for this key.
        Assert.Equal(0, await ActivatorUtilities.CreateInstance<MasterKeyUpgrade>(server.Services, derivation).RunAsync(CancellationToken.None));
    }

    private Bootstrap BootstrapWith(TollgateOptions options)
    {
        options.Demo = false;
        return ActivatorUtilities.CreateInstance<Bootstrap>(server.Services, Options.Create(options));
    }
}

public sealed class BootstrapKeyTestsOnSqlite(SqliteServer server) : BootstrapKeyTests(server), IClassFixture<SqliteServer>;

public sealed class BootstrapKeyTestsOnPostgres(PostgresServer server) : BootstrapKeyTests(server), IClassFixture<PostgresServer>;
