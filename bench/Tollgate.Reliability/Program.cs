using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tollgate.Reliability;
using Tollgate.Reliability.Cases;

// The reliability suite; bench/reliability/run.sh builds everything, starts a private PostgreSQL cluster and runs:
//   Tollgate.Reliability --server <Tollgate.Server.dll> --postgres <connection string> --pgdata <folder> --pgbin <folder>
//                        --scratch <folder> [--report <file.md>] [--only <case>[,<case>...]]
// It prints one line per case — what was tried and what was lost — and exits 1 when anything was lost.
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: Tollgate.Reliability --server <dll> --postgres <cs> --pgdata <dir> --pgbin <dir> --scratch <dir> [--report <md>] [--only <names>]");
    return 2;
}

IReliabilityCase[] all =
[
    new KillDuringIngestion("sqlite"),
    new KillDuringIngestion("postgres"),
    new RetryStormAcrossNodes(),
    new CheckAndReserveAcrossNodes(),
    new PublishableKeyAbuse("sqlite"),
    new PublishableKeyAbuse("postgres"),
    new PoisonAmongTenants("sqlite"),
    new PoisonAmongTenants("postgres"),
    new PostgresFaultsDuringWrites(),
    new KeyRevocationAcrossNodes(),
    new SimultaneousStart(),
];
var lab = new Lab(options.Server, options.Postgres, options.PgData, options.PgBin, options.Scratch);
var selected = all.Where(c => options.Only.Count == 0 || options.Only.Contains(c.Name)).ToList();
var report = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# Reliability suite, {DateTime.UtcNow:yyyy-MM-dd}")
    .AppendLine()
    .AppendLine("`bash bench/reliability/run.sh`: real server processes on SQLite and a private PostgreSQL 15 cluster; faults injected from outside.")
    .AppendLine()
    .AppendLine("| case | what was tried | what was lost | seen | time |")
    .AppendLine("| --- | --- | --- | --- | ---: |");
var failures = 0;
foreach (var reliabilityCase in selected)
{
    var clock = Stopwatch.StartNew();
    CaseResult result;
    try
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        result = await reliabilityCase.RunAsync(lab, timeout.Token);
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or OperationCanceledException or System.Data.Common.DbException or IOException)
    {
        result = CaseResult.Failed("(set-up)", e);
    }

    var verdict = result.NothingLost ? "nothing lost" : "LOST: " + string.Join("; ", result.Lost);
    failures += result.NothingLost ? 0 : 1;
    Console.WriteLine($"{reliabilityCase.Name}: {result.Tried} -> {verdict}{(result.Notes.Length > 0 ? $" ({result.Notes})" : "")} [{clock.Elapsed.TotalSeconds:0.0} s]");
    report.AppendLine(CultureInfo.InvariantCulture, $"| {reliabilityCase.Name} | {result.Tried} | {verdict} | {result.Notes} | {clock.Elapsed.TotalSeconds:0.0} s |");
}

if (options.Report is { } path)
{
    await File.WriteAllTextAsync(path, report.ToString());
}

Console.WriteLine(failures == 0 ? $"all {selected.Count} cases: nothing lost" : $"{failures} of {selected.Count} cases lost something");
return failures == 0 ? 0 : 1;

internal sealed record Options(string Server, string Postgres, string PgData, string PgBin, string Scratch, string? Report, IReadOnlySet<string> Only)
{
    public static Options? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (args.Length % 2 != 0 || !values.TryGetValue("server", out var server) || !values.TryGetValue("postgres", out var postgres)
            || !values.TryGetValue("pgdata", out var pgData) || !values.TryGetValue("pgbin", out var pgBin) || !values.TryGetValue("scratch", out var scratch))
        {
            return null;
        }

        var only = values.TryGetValue("only", out var names) ? names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal) : [];
        return new Options(server, postgres, pgData, pgBin, scratch, values.GetValueOrDefault("report"), only);
    }
}
