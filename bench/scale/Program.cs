using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Tollgate.Scale;

/// <summary>The command line (in a namespace: a global <c>Program</c> would clash with the server's in the tests that reference both).</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var data = new Option<string?>("--data") { Description = "SQLite: the data folder (the server's --data); the store is <folder>/tollgate.db" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL: a connection string (the server's --postgres)" };
        var companies = new Option<int>("--companies") { Description = "Companies to generate", DefaultValueFactory = _ => 100_000 };
        var events = new Option<int>("--events-per-company") { Description = "Track events per company in the event log", DefaultValueFactory = _ => 10 };
        var days = new Option<int>("--history-days") { Description = "Days the event log goes back", DefaultValueFactory = _ => 90 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random choices", DefaultValueFactory = _ => 12 };
        var batch = new Option<int>("--batch") { Description = "Companies per transaction", DefaultValueFactory = _ => 2_000 };
        var key = new Option<string>("--key") { Description = "The environment's secret key (TOLLGATE_API_KEY when serving the store)", DefaultValueFactory = _ => ScaleStore.DefaultKey };
        var owner = new Option<bool>("--owner") { Description = $"Also create the console owner ({ScaleStore.OwnerEmail}, password {ScaleStore.OwnerPassword}) for the render benchmark" };
        var manifest = new Option<string?>("--manifest") { Description = "Where to write what was generated (JSON); default scale-manifest.json in the data folder or the current one" };

        var root = new RootCommand("Fills an empty Tollgate store with N realistic companies (bench/scale/README.md).")
        {
            data, postgres, companies, events, days, seed, batch, key, owner, manifest,
        };
        root.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(data);
            var connectionString = parse.GetValue(postgres);
            if ((folder is null) == (connectionString is null))
            {
                await Console.Error.WriteLineAsync("Name exactly one store: --data <folder> or --postgres <connection string>.");
                return 2;
            }

            var options = new ScaleOptions
            {
                Companies = parse.GetValue(companies),
                EventsPerCompany = parse.GetValue(events),
                HistoryDays = parse.GetValue(days),
                Seed = parse.GetValue(seed),
                BatchSize = parse.GetValue(batch),
            };
            var secret = parse.GetValue(key)!;
            var (result, size) = await ScaleStore.FillAsync(
                folder, connectionString, secret, options, parse.GetValue(owner) ? (ScaleStore.OwnerEmail, ScaleStore.OwnerPassword) : null, Console.WriteLine, ct);
            var path = parse.GetValue(manifest) ?? Path.Combine(folder ?? ".", "scale-manifest.json");
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new ScaleManifest(secret, result, size), ScaleManifest.Json), ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                Done: {result.Companies:N0} companies, {result.Rows:N0} rows in {result.BulkSeconds:F1} s ({result.RowsPerSecond:N0} rows/s); catalog {result.CatalogSeconds:F1} s; projections {result.ProjectionSeconds:F1} s; store size {size / 1048576.0:N0} MiB.
                Rows: {string.Join(", ", result.RowsByTable.Select(r => $"{r.Key} {r.Value:N0}"))}
                Environment {result.EnvironmentId}, secret key {secret}; manifest {path}
                """));
            return 0;
        });
        root.Subcommands.Add(PagesCommand());
        root.Subcommands.Add(OwnerCommand());
        root.Subcommands.Add(ProjectionsCommand());
        return await root.Parse(args).InvokeAsync();
    }

    /// <summary><c>owner</c>: adds the console owner to a store generated before (the store's first console user).</summary>
    private static Command OwnerCommand()
    {
        var data = new Option<string?>("--data") { Description = "SQLite: the data folder" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL: a connection string" };
        var command = new Command("owner", $"Creates the console owner ({ScaleStore.OwnerEmail}, password {ScaleStore.OwnerPassword}) in a generated store.") { data, postgres };
        command.SetAction(async (parse, ct) =>
        {
            if ((parse.GetValue(data) is null) == (parse.GetValue(postgres) is null))
            {
                await Console.Error.WriteLineAsync("Name exactly one store: --data <folder> or --postgres <connection string>.");
                return 2;
            }

            Console.WriteLine(await ScaleStore.AddOwnerAsync(parse.GetValue(data), parse.GetValue(postgres), ScaleStore.OwnerEmail, ScaleStore.OwnerPassword, ct));
            return 0;
        });
        return command;
    }

    /// <summary><c>projections</c>: writes the directory and insight rows of a store generated before the generator wrote them.</summary>
    private static Command ProjectionsCommand()
    {
        var data = new Option<string?>("--data") { Description = "SQLite: the data folder" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL: a connection string" };
        var key = new Option<string>("--key") { Description = "The environment's secret key", DefaultValueFactory = _ => ScaleStore.DefaultKey };
        var phases = new Option<bool>("--log-phases") { Description = "Log each batch's read, work and write times (Debug)" };
        var command = new Command("projections", "Writes the company directory and insight signals of a generated store by the server's rebuild.") { data, postgres, key, phases };
        command.SetAction(async (parse, ct) =>
        {
            if ((parse.GetValue(data) is null) == (parse.GetValue(postgres) is null))
            {
                await Console.Error.WriteLineAsync("Name exactly one store: --data <folder> or --postgres <connection string>.");
                return 2;
            }

            var (environmentId, seconds) = await ScaleStore.WriteProjectionsAsync(
                parse.GetValue(data), parse.GetValue(postgres), parse.GetValue(key)!, parse.GetValue(phases), ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Projections of environment {environmentId} written in {seconds:F1} s."));
            return 0;
        });
        return command;
    }

    /// <summary><c>pages</c>: the console's render time (<see cref="PageBench"/>).</summary>
    private static Command PagesCommand()
    {
        var url = new Option<string>("--url") { Description = "The server", Required = true };
        var email = new Option<string>("--email") { Description = "A console user's email", DefaultValueFactory = _ => ScaleStore.OwnerEmail };
        var password = new Option<string>("--password") { Description = "Their password", DefaultValueFactory = _ => ScaleStore.OwnerPassword };
        var pages = new Option<string[]>("--page") { Description = "A page to time (repeat the option)", Required = true, AllowMultipleArgumentsPerToken = true };
        var requests = new Option<int>("--requests") { Description = "Requests per page", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients", DefaultValueFactory = _ => 4 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up rounds over every page", DefaultValueFactory = _ => 10 };
        var output = new Option<string?>("--out") { Description = "Where to write the table (Markdown)" };
        var command = new Command("pages", "Times console pages: p50/p95/p99 of server time (Server-Timing) and client time, against GET /health in the same rounds.")
        {
            url, email, password, pages, requests, concurrency, warmup, output,
        };
        command.SetAction((parse, ct) => PageBench.RunAsync(
            new Uri(parse.GetValue(url)!), parse.GetValue(email)!, parse.GetValue(password)!, parse.GetValue(pages)!, parse.GetValue(requests),
            parse.GetValue(concurrency), parse.GetValue(warmup), parse.GetValue(output), ct));
        return command;
    }
}
