using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Secrets;

namespace Tollgate.Server.Tests.Unit;

/// <summary>
/// The master key encrypts Data Protection's keys at rest, and only the same master key reads them back. A passphrase
/// is stretched with PBKDF2-SHA-256 and a stored salt; keys written under the old derivation (SHA-256) stay readable.
/// </summary>
public sealed class MasterKeyTests
{
    // Few iterations keep these tests fast; the derivation is the same function at any count.
    private const int TestIterations = 1_000;

    private static readonly XElement KeyMaterial = new("key", new XElement("masterKey", "c2VjcmV0IGtleSBtYXRlcmlhbA=="));

    [Fact]
    public void TheKeyIsStoredEncryptedAndReadBackWithTheSameMasterKey()
    {
        var encrypted = new MasterKeyXmlEncryptor(Derivation("correct horse battery staple")).Encrypt(KeyMaterial);

        Assert.DoesNotContain("c2VjcmV0IGtleSBtYXRlcmlhbA==", encrypted.EncryptedElement.ToString(), StringComparison.Ordinal);
        Assert.Equal(typeof(MasterKeyXmlDecryptor), encrypted.DecryptorType);
        var decrypted = Decryptor("correct horse battery staple").Decrypt(encrypted.EncryptedElement);
        Assert.Equal(KeyMaterial.ToString(), decrypted.ToString());
    }

    [Fact]
    public void AnotherMasterKeyOrNoneCannotReadIt()
    {
        var encrypted = new MasterKeyXmlEncryptor(Derivation("the first key")).Encrypt(KeyMaterial).EncryptedElement;

        var wrong = Assert.Throws<InvalidOperationException>(() => Decryptor("another key").Decrypt(encrypted));
        var none = Assert.Throws<InvalidOperationException>(() => Decryptor(null).Decrypt(encrypted));

        Assert.Contains("not the master key", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("TOLLGATE_MASTER_KEY", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APassphraseGoesThroughPbkdf2WithTheSaltAndIterationsStoredBesideTheCiphertext()
    {
        var derivation = Derivation("correct horse battery staple");
        var (key, recorded) = derivation.ForEncryption();

        Assert.Equal("pbkdf2-sha256", (string?)recorded.Attribute("name"));
        Assert.Equal(TestIterations, (int?)recorded.Attribute("iterations"));
        var salt = Convert.FromBase64String((string)recorded.Attribute("salt")!);
        Assert.Equal(16, salt.Length);
        Assert.Equal(Rfc2898DeriveBytes.Pbkdf2("correct horse battery staple", salt, TestIterations, HashAlgorithmName.SHA256, 32), key);
        Assert.NotEqual(SHA256.HashData(Encoding.UTF8.GetBytes("correct horse battery staple")), key);

        // Another process (another salt) derives another key from the same passphrase, and reads the first one's elements.
        var other = Derivation("correct horse battery staple");
        Assert.NotEqual(key, other.ForEncryption().Key);
        Assert.Equal(key, other.ForDecryption(recorded));
        var sealedByFirst = new MasterKeyXmlEncryptor(derivation).Encrypt(KeyMaterial).EncryptedElement;
        Assert.Equal(KeyMaterial.ToString(), MasterKeyXmlEncryptor.Open(sealedByFirst, other).ToString());
    }

    [Fact]
    public void TheDefaultIterationCountIsTheSlowOne()
    {
        var (_, recorded) = new MasterKeyDerivation("a passphrase").ForEncryption();

        Assert.Equal(600_000, MasterKeyDerivation.DefaultIterations);
        Assert.Equal(MasterKeyDerivation.DefaultIterations, (int?)recorded.Attribute("iterations"));
    }

    [Fact]
    public void ABase64KeyOf32BytesIsUsedAsItIsWithoutDerivation()
    {
        var raw = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var derivation = Derivation(Convert.ToBase64String(raw));

        var (key, recorded) = derivation.ForEncryption();

        Assert.Equal(raw, key);
        Assert.Equal("none", (string?)recorded.Attribute("name"));
        Assert.Null(MasterKeyDerivation.RawKey("short passphrase"));
        Assert.Null(MasterKeyDerivation.RawKey(Convert.ToBase64String(new byte[16])));
    }

    [Fact]
    public void AKeyWrittenUnderTheOldDerivationIsStillReadable()
    {
        // The form written before PBKDF2: AES-GCM under SHA-256 of the passphrase, no derivation element.
        var old = MasterKeyXmlEncryptor.Seal(KeyMaterial, SHA256.HashData(Encoding.UTF8.GetBytes("an old passphrase")), derivation: null);
        Assert.Null(old.Element(MasterKeyDerivation.DerivationElement));

        Assert.Equal(KeyMaterial.ToString(), Decryptor("an old passphrase").Decrypt(old).ToString());
        Assert.Throws<InvalidOperationException>(() => Decryptor("another passphrase").Decrypt(old));
    }

    private static MasterKeyDerivation Derivation(string? masterKey) => new(masterKey, TestIterations);

    private static MasterKeyXmlDecryptor Decryptor(string? masterKey)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Derivation(masterKey));
        return new MasterKeyXmlDecryptor(services.BuildServiceProvider());
    }
}
