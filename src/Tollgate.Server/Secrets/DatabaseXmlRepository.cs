using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Secrets;

/// <summary>
/// Keeps the Data Protection key ring in the database, so every node sharing it can read what another protected.
/// Data Protection calls this rarely (start-up, key rotation every 90 days) and synchronously.
/// </summary>
internal sealed class DatabaseXmlRepository(Database database, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return [.. connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at").Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "INSERT INTO data_protection_keys (id, xml, created_at) VALUES (@id, @xml, @at) ON CONFLICT (id) DO NOTHING",
                new { id = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), at = time.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction),
            CancellationToken.None).GetAwaiter().GetResult();
    }
}
