using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tollgate.Server.Secrets;

namespace Tollgate.Server.Tests.Unit;

/// <summary>The master key encrypts Data Protection's keys at rest, and only the same master key reads them back.</summary>
public sealed class MasterKeyTests
{
    private static readonly XElement KeyMaterial = new("key", new XElement("masterKey", "c2VjcmV0IGtleSBtYXRlcmlhbA=="));

    [Fact]
    public void TheKeyIsStoredEncryptedAndReadBackWithTheSameMasterKey()
    {
        var encrypted = new MasterKeyXmlEncryptor(MasterKeyXmlEncryptor.KeyFrom("correct horse battery staple")).Encrypt(KeyMaterial);

        Assert.DoesNotContain("c2VjcmV0IGtleSBtYXRlcmlhbA==", encrypted.EncryptedElement.ToString(), StringComparison.Ordinal);
        Assert.Equal(typeof(MasterKeyXmlDecryptor), encrypted.DecryptorType);
        var decrypted = Decryptor("correct horse battery staple").Decrypt(encrypted.EncryptedElement);
        Assert.Equal(KeyMaterial.ToString(), decrypted.ToString());
    }

    [Fact]
    public void AnotherMasterKeyOrNoneCannotReadIt()
    {
        var encrypted = new MasterKeyXmlEncryptor(MasterKeyXmlEncryptor.KeyFrom("the first key")).Encrypt(KeyMaterial).EncryptedElement;

        var wrong = Assert.Throws<InvalidOperationException>(() => Decryptor("another key").Decrypt(encrypted));
        var none = Assert.Throws<InvalidOperationException>(() => Decryptor(null).Decrypt(encrypted));

        Assert.Contains("not the master key", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("TOLLGATE_MASTER_KEY", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABase64KeyOf32BytesIsUsedAsItIsAndAnythingElseIsHashed()
    {
        var raw = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        Assert.Equal(raw, MasterKeyXmlEncryptor.KeyFrom(Convert.ToBase64String(raw)));
        Assert.Equal(32, MasterKeyXmlEncryptor.KeyFrom("short passphrase").Length);
        Assert.NotEqual(MasterKeyXmlEncryptor.KeyFrom("a"), MasterKeyXmlEncryptor.KeyFrom("b"));
    }

    private static MasterKeyXmlDecryptor Decryptor(string? masterKey)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new TollgateOptions { MasterKey = masterKey }));
        return new MasterKeyXmlDecryptor(services.BuildServiceProvider());
    }
}
