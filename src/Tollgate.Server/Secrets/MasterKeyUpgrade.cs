using System.Xml.Linq;
using Dapper;
using Tollgate.Server.Startup;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Secrets;

/// <summary>
/// Re-encrypts stored Data Protection keys still under the pre-PBKDF2 derivation of a master-key passphrase (SHA-256,
/// no salt; their <c>encryptedKey</c> names no <see cref="MasterKeyDerivation.DerivationElement"/>) with the current
/// one. Runs at start-up under the bootstrap lock, after the migrations; the decryptor reads either form meanwhile, so
/// nothing is unreadable at any point, and a database is upgraded by its first start with this version.
/// </summary>
internal sealed partial class MasterKeyUpgrade(Database database, MasterKeyDerivation masterKey, ILogger<MasterKeyUpgrade> logger)
{
    /// <summary>Re-encrypts every key of the old form; returns how many were.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (!masterKey.IsConfigured)
        {
            return 0;
        }

        IReadOnlyList<(string Id, string Xml)> rows;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            rows = [.. await connection.QueryAsync<(string, string)>(
                new CommandDefinition("SELECT id, xml FROM data_protection_keys ORDER BY created_at", cancellationToken: cancellationToken)).ConfigureAwait(false)];
        }

        var upgraded = 0;
        foreach (var (id, xml) in rows)
        {
            var root = XElement.Parse(xml);
            var old = root.DescendantsAndSelf()
                .Where(e => e.Name.LocalName == "encryptedKey" && e.Element("nonce") is not null && e.Element(MasterKeyDerivation.DerivationElement) is null)
                .ToList();
            if (old.Count == 0)
            {
                continue;
            }

            foreach (var element in old)
            {
                XElement plaintext;
                try
                {
                    plaintext = MasterKeyXmlEncryptor.Open(element, masterKey);
                }
                catch (InvalidOperationException e)
                {
                    throw new StartupRefusal($"{e.Message} The key {id} in data_protection_keys could not be opened; set TOLLGATE_MASTER_KEY (Tollgate:MasterKey) to the master key it was written with.");
                }

                var (key, derivation) = masterKey.ForEncryption();
                element.ReplaceWith(MasterKeyXmlEncryptor.Seal(plaintext, key, new XElement(derivation)));
            }

            var text = root.ToString(SaveOptions.DisableFormatting);
            await database.WriteAsync(
                (connection, transaction) => connection.ExecuteAsync("UPDATE data_protection_keys SET xml = @text WHERE id = @id", new { id, text }, transaction),
                cancellationToken).ConfigureAwait(false);
            upgraded++;
        }

        if (upgraded > 0)
        {
            LogUpgraded(logger, upgraded);
        }

        return upgraded;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Count} stored Data Protection keys from the old master-key derivation (SHA-256) to PBKDF2-SHA-256")]
    private static partial void LogUpgraded(ILogger logger, int count);
}
