using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Scale;

/// <summary>
/// Fills one environment of a Tollgate store with the scale data set: the catalog through the server's services, then
/// the companies in bulk (<see cref="CompanyFactory"/>), generated on one task while the previous batch is written on
/// another, then the projections by the server's rebuild (<see cref="ScaleProjections"/>). The server's schema must be
/// migrated and the environment must hold no companies.
/// </summary>
public static class ScaleGenerator
{
    /// <summary>Generates the data set into <paramref name="environmentId"/>, audited under <paramref name="apiKeyId"/>.</summary>
    public static async Task<ScaleResult> GenerateAsync(
        IServiceProvider services, string environmentId, string apiKeyId, ScaleOptions options, Action<string>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Companies < 0 || options.BatchSize <= 0 || options.EventsPerCompany < 0 || options.HistoryDays <= 0)
        {
            throw new ArgumentException("companies ≥ 0, batch size > 0, events per company ≥ 0 and history days > 0", nameof(options));
        }

        var store = services.GetRequiredService<ResourceStore>();
        if (await store.CountAsync(environmentId, ResourceKinds.Company, null, ct) > 0)
        {
            throw new InvalidOperationException($"The environment {environmentId} already has companies: generate into an empty store.");
        }

        var scope = new RequestScope(environmentId, apiKeyId, ApiKeyKind.Secret);
        var clock = Stopwatch.StartNew();
        var ids = await ScaleCatalog.CreateAsync(services, scope, ct);
        var catalogSeconds = clock.Elapsed.TotalSeconds;
        var runtimes = services.GetRequiredService<RuntimeRegistry>();
        var catalog = await runtimes.For(environmentId).CatalogAsync(ct);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var factory = new CompanyFactory(catalog, ids, environmentId, apiKeyId, options, now);
        var database = services.GetRequiredService<Database>();

        clock.Restart();
        var facts = new List<CompanyFacts>();
        var rows = BulkTable.All.ToDictionary(t => t.Name, _ => 0L, StringComparer.Ordinal);
        var batches = Channel.CreateBounded<RowBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var random = new Random(options.Seed);
                    for (var first = 0; first < options.Companies; first += options.BatchSize)
                    {
                        var batch = new RowBatch();
                        for (var i = first; i < Math.Min(options.Companies, first + options.BatchSize); i++)
                        {
                            var made = factory.Add(batch, random, i + 1);
                            if (options.KeepFacts || facts.Count < 20)
                            {
                                facts.Add(made);
                            }

                            batch.Companies++;
                        }

                        await batches.Writer.WriteAsync(batch, ct);
                    }

                    batches.Writer.Complete();
                }
                catch (Exception e)
                {
                    batches.Writer.Complete(e);
                    throw;
                }
            },
            ct);

        var written = 0;
        await foreach (var batch in batches.Reader.ReadAllAsync(ct))
        {
            await BulkWriter.WriteAsync(database, batch, ct);
            foreach (var table in BulkTable.All)
            {
                rows[table.Name] += batch.RowsOf(table).Count;
            }

            written += batch.Companies;
            var seconds = clock.Elapsed.TotalSeconds;
            progress?.Invoke(string.Create(
                CultureInfo.InvariantCulture,
                $"{written:N0} / {options.Companies:N0} companies, {rows.Values.Sum():N0} rows, {seconds:F1} s, {rows.Values.Sum() / Math.Max(seconds, 0.001):N0} rows/s"));
        }

        await producer;
        if (database.Dialect.IsPostgres)
        {
            // What autovacuum would do a minute after a load this size: the planner needs the new row counts.
            await using var connection = await database.OpenAsync(ct);
            await using var analyze = connection.CreateCommand();
            analyze.CommandText = "ANALYZE";
            analyze.CommandTimeout = 0;
            await analyze.ExecuteNonQueryAsync(ct);
        }

        var bulkSeconds = clock.Elapsed.TotalSeconds;

        // The directory and the insight signals, by the server's own rebuild: a server started on the store has nothing to rebuild.
        progress?.Invoke("Writing the projections (company directory, insight signals)…");
        var projectionSeconds = await ScaleProjections.WriteAsync(services, environmentId, ct);
        if (database.Dialect.IsPostgres)
        {
            // A fresh store's pages are not yet marked all-visible, so index-only scans still fetch heap pages, and the
            // projections' tables have no statistics: measurements on the store would see plans that autovacuum later
            // changes. VACUUM sets both (about 25 s at 1,000,000 companies with the pages cached).
            progress?.Invoke("VACUUM (ANALYZE)…");
            await using var connection = await database.OpenAsync(ct);
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM (ANALYZE)";
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync(ct);
        }

        // Every cache of this environment (warm companies, remembered unknown keys) forgets what it held.
        await services.GetRequiredService<ChangeFeed>().PublishAsync(new Change(environmentId, ChangeKind.Everything, []));
        var planNames = ScaleCatalog.BasePlans.Select((p, i) => (p.Name, Id: ids.BasePlanIds[i])).ToDictionary(p => p.Name, p => p.Id, StringComparer.Ordinal);
        return new ScaleResult(environmentId, written, rows, catalogSeconds, bulkSeconds, projectionSeconds, facts, planNames);
    }
}
