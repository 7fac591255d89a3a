using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>
/// Console users for tests, made through the console's own account service: the owner through a set-up link (as on a
/// first start), everyone else through an invitation the owner makes and they accept. One owner per server.
/// </summary>
public static class ConsoleUsers
{
    /// <summary>The password of every user made here.</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>The owner's email.</summary>
    public const string OwnerEmail = "owner@tollgate.test";

    private static readonly ConcurrentDictionary<TollgateFactory, Lazy<Task<ConsoleUser>>> Owners = new();

    /// <summary>The server's owner, made on first use.</summary>
    public static Task<ConsoleUser> OwnerAsync(TollgateFactory server) =>
        Owners.GetOrAdd(server, s => new Lazy<Task<ConsoleUser>>(() => MakeOwnerAsync(s))).Value;

    /// <summary>A new user with <paramref name="role"/> (a fresh email each time), invited by the owner.</summary>
    public static async Task<ConsoleUser> CreateAsync(TollgateFactory server, ConsoleRole role, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var owner = await OwnerAsync(server);
        var accounts = server.Services.GetRequiredService<ConsoleAccounts>();
        var email = $"{ConsoleRights.Name(role)}-{Guid.NewGuid():N}@tollgate.test";
        var (_, token) = await accounts.InviteAsync(owner, email, ConsoleRights.Name(role), CancellationToken.None);
        return await accounts.AcceptInvitationAsync(token, name ?? $"{role} Person", Password, CancellationToken.None);
    }

    private static async Task<ConsoleUser> MakeOwnerAsync(TollgateFactory server)
    {
        var accounts = server.Services.GetRequiredService<ConsoleAccounts>();
        var token = await accounts.CreateSetupLinkAsync(CancellationToken.None)
            ?? throw new InvalidOperationException("The console already has users: make the owner through ConsoleUsers only.");
        return await accounts.CreateOwnerAsync(token, OwnerEmail, "Olivia Owner", Password, CancellationToken.None);
    }
}
