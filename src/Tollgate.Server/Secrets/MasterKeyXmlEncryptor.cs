using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Tollgate.Server.Secrets;

/// <summary>
/// Encrypts Data Protection keys with AES-256-GCM under the master key (<c>TOLLGATE_MASTER_KEY</c>) before they are
/// stored, so the database alone — a dump, a backup — does not reveal the secrets protected with them.
/// </summary>
internal sealed class MasterKeyXmlEncryptor(byte[] masterKey) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(masterKey, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        var element = new XElement(
            "encryptedKey",
            new XComment(" Encrypted with Tollgate's master key (TOLLGATE_MASTER_KEY), AES-256-GCM. "),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }

    /// <summary>The master key from its configured text: 32 bytes in base64, or any passphrase (hashed with SHA-256).</summary>
    public static byte[] KeyFrom(string configured)
    {
        try
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length == 32)
            {
                return bytes;
            }
        }
        catch (FormatException)
        {
            // Not base64: a passphrase.
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(configured));
    }
}

/// <summary>Decrypts what <see cref="MasterKeyXmlEncryptor"/> wrote; Data Protection makes it from the services.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var configured = services.GetRequiredService<IOptions<TollgateOptions>>().Value.MasterKey;
        if (configured is not { Length: > 0 })
        {
            throw new InvalidOperationException("The stored keys were encrypted with a master key: set TOLLGATE_MASTER_KEY (Tollgate:MasterKey) to the one used.");
        }

        var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
        var ciphertext = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(MasterKeyXmlEncryptor.KeyFrom(configured), tag.Length);
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new InvalidOperationException("TOLLGATE_MASTER_KEY is not the master key the stored keys were encrypted with.", e);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
