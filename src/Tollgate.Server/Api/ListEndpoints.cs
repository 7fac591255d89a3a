using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>
/// <c>GET /{resources}</c> (a page, oldest first) and <c>GET /{resources}/count</c> of one resource kind, mapped the
/// same way for every resource: both read the same filters and echo them in <c>params</c>.
/// </summary>
internal static class ListEndpoints
{
    /// <summary>A selection of every document of the kind.</summary>
    public static ValueTask<Selection<T>> All<T>(HttpContext http, ListQuery query, CancellationToken cancellationToken) => ValueTask.FromResult(Selection<T>.All);

    /// <summary>A selection of the documents of the parent named by the query parameter <paramref name="parameter"/>, or of all without it.</summary>
    public static Func<HttpContext, ListQuery, CancellationToken, ValueTask<Selection<T>>> ByParent<T>(string parameter) =>
        (_, query, _) => ValueTask.FromResult(new Selection<T>(query.One(parameter), null));

    /// <summary>The documents <paramref name="select"/> chooses, each described against the environment's catalog.</summary>
    public static void MapListAndCount<T, TResponse>(
        this RouteGroupBuilder group,
        string kind,
        Func<HttpContext, ListQuery, CancellationToken, ValueTask<Selection<T>>> select,
        Func<T, CatalogSnapshot, TResponse> describe) =>
        group.MapListAndCount<T, TResponse>(
            kind,
            select,
            async (http, page, ct) =>
            {
                var catalog = await http.CatalogAsync(ct).ConfigureAwait(false);
                return [.. page.Select(item => describe(item, catalog))];
            });

    /// <summary>
    /// The documents <paramref name="select"/> chooses (it reads the filters and answers 400 for bad ones), each page
    /// described by <paramref name="describe"/>.
    /// </summary>
    public static void MapListAndCount<T, TResponse>(
        this RouteGroupBuilder group,
        string kind,
        Func<HttpContext, ListQuery, CancellationToken, ValueTask<Selection<T>>> select,
        Func<HttpContext, IReadOnlyList<T>, CancellationToken, ValueTask<IReadOnlyList<TResponse>>> describe)
    {
        group.MapGet("/", async (HttpContext http, ResourceStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var selection = await select(http, query, ct).ConfigureAwait(false);
            var environmentId = http.Scope().EnvironmentId;
            IReadOnlyList<T> page = selection.Predicate is null
                ? await store.ListAsync<T>(environmentId, kind, selection.ParentId, selection.Ids, paging.Limit, paging.Offset, ct).ConfigureAwait(false)
                : [.. (await store.ListAsync<T>(environmentId, kind, selection.ParentId, selection.Ids, int.MaxValue, 0, ct).ConfigureAwait(false))
                    .Where(selection.Predicate).Skip(paging.Offset).Take(paging.Limit)];
            return TypedResults.Ok(new Envelope<IReadOnlyList<TResponse>>(await describe(http, page, ct).ConfigureAwait(false), query.PageParams()));
        });
        group.MapGet("/count", async (HttpContext http, ResourceStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var selection = await select(http, query, ct).ConfigureAwait(false);
            var environmentId = http.Scope().EnvironmentId;
            var count = selection.Predicate is null
                ? await store.CountAsync(environmentId, kind, selection.ParentId, selection.Ids, ct).ConfigureAwait(false)
                : (await store.ListAsync<T>(environmentId, kind, selection.ParentId, selection.Ids, int.MaxValue, 0, ct).ConfigureAwait(false)).LongCount(selection.Predicate);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.Filters));
        });
    }
}
