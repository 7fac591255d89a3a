using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Tollgate.Server.Secrets;

/// <summary>
/// Data Protection for secrets Tollgate keeps on behalf of users (a Stripe API key, a webhook signing secret): the key
/// ring in the database (<see cref="DatabaseXmlRepository"/>), encrypted under the master key when one is configured.
/// </summary>
internal static class SecretProtection
{
    public static void Add(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDataProtection().SetApplicationName("Tollgate");

        // Without a master key Data Protection warns of every key it stores unencrypted; the bootstrap says it once, with what to do.
        if (builder.Configuration["Tollgate:MasterKey"] is not { Length: > 0 })
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        }

        services.AddOptions<KeyManagementOptions>().Configure<Storage.Database, TimeProvider, IOptions<TollgateOptions>>((options, database, time, tollgate) =>
        {
            options.XmlRepository = new DatabaseXmlRepository(database, time);
            if (tollgate.Value.MasterKey is { Length: > 0 } masterKey)
            {
                options.XmlEncryptor = new MasterKeyXmlEncryptor(MasterKeyXmlEncryptor.KeyFrom(masterKey));
            }
        });
    }

    /// <summary>The protector of one kind of secret; its purpose string separates kinds.</summary>
    public static IDataProtector For(IDataProtectionProvider provider, string purpose) => provider.CreateProtector("Tollgate.Secrets." + purpose);
}
