namespace Tollgate.Server.Storage;

/// <summary>What a write changed, for whatever caches or pushes it (this node's and the other nodes').</summary>
/// <remarks>Sent between nodes as its number: new kinds go at the end; a node that does not know a kind treats it as <see cref="Everything"/>.</remarks>
internal enum ChangeKind
{
    /// <summary>Features, flags, plans, versions, entitlements or trait definitions: the catalog is reloaded.</summary>
    Catalog,

    /// <summary>Companies (record, keys, plans, overrides): their warm views are dropped.</summary>
    Company,

    /// <summary>Users: their warm views are dropped.</summary>
    User,

    /// <summary>Usage counters of companies: reloaded from the store.</summary>
    Usage,

    /// <summary>Credit grants, balances, reservations or leases of companies: their warm views are dropped.</summary>
    Credits,

    /// <summary>API keys (ids) were created or revoked: the key cache forgets them.</summary>
    ApiKey,

    /// <summary>The environment's Stripe connection was made, changed or removed: the connection cache forgets it.</summary>
    StripeConnection,

    /// <summary>
    /// Anything in the environment (or, with <see cref="Change.AllEnvironments"/>, in every environment) may have
    /// changed: notices were missed or coalesced, so everything held warm is dropped or read again.
    /// </summary>
    Everything,
}
