using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Tollgate.Server.Secrets;

/// <summary>
/// Encrypts Data Protection keys with AES-256-GCM under the master key (<c>TOLLGATE_MASTER_KEY</c>) before they are
/// stored, so the database alone — a dump, a backup — does not reveal the secrets protected with them. The element
/// records how the AES key was derived from the master key (<see cref="MasterKeyDerivation"/>).
/// </summary>
internal sealed class MasterKeyXmlEncryptor(MasterKeyDerivation masterKey) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var (key, derivation) = masterKey.ForEncryption();
        return new EncryptedXmlInfo(Seal(plaintextElement, key, new XElement(derivation)), typeof(MasterKeyXmlDecryptor));
    }

    /// <summary>The <c>encryptedKey</c> element of <paramref name="plaintextElement"/> under <paramref name="key"/>.</summary>
    public static XElement Seal(XElement plaintextElement, byte[] key, XElement? derivation)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        return new XElement(
            "encryptedKey",
            new XComment(" Encrypted with Tollgate's master key (TOLLGATE_MASTER_KEY), AES-256-GCM. "),
            derivation,
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(ciphertext)));
    }

    /// <summary>Opens an <c>encryptedKey</c> element with the key its derivation element names.</summary>
    public static XElement Open(XElement encryptedElement, MasterKeyDerivation masterKey)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        ArgumentNullException.ThrowIfNull(masterKey);
        var key = masterKey.ForDecryption(encryptedElement.Element(MasterKeyDerivation.DerivationElement));
        var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
        var ciphertext = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key, tag.Length);
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw MasterKeyDerivation.NotTheMasterKey(e);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}

/// <summary>Decrypts what <see cref="MasterKeyXmlEncryptor"/> wrote; Data Protection makes it from the services.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        MasterKeyXmlEncryptor.Open(encryptedElement, services.GetRequiredService<MasterKeyDerivation>());
}
