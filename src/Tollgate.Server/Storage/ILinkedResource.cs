namespace Tollgate.Server.Storage;

/// <summary>
/// A document that names other resources it belongs to: a user its companies, a company its add-on plans. The store
/// keeps those links in <c>resource_links</c>, written in the same transaction as the document, so "the documents linked
/// to X" and "how many documents each X has" are index lookups instead of a read of every document of the kind.
/// </summary>
public interface ILinkedResource
{
    /// <summary>The ids this document links to; duplicates are ignored.</summary>
    IReadOnlyCollection<string> LinkedIds { get; }
}
