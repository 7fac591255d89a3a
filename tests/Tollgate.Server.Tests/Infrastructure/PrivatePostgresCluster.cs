using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for one test run, made from the installed server binaries when
/// <c>TOLLGATE_TEST_POSTGRES</c> names no server, so that <c>dotnet test Tollgate.slnx</c> passes alone on a fresh
/// machine. It lives in <c>/tmp/tollgate-test-pg-{pid}</c>, listens on a free loopback port and a private socket
/// folder, and is stopped and removed when the test process exits; clusters left behind by a test process that was
/// killed are removed by the next run.
/// </summary>
/// <remarks>
/// The role <c>tollgate</c> is the cluster's superuser, so tests may end backends (<c>pg_terminate_backend</c>) and
/// drop databases WITH (FORCE). <c>fsync</c> is off: the cluster is discarded after the run, and what the tests prove
/// about durability (a Tollgate node killed, connections cut) does not depend on the operating system's flush.
/// </remarks>
internal sealed class PrivatePostgresCluster
{
    private const string Password = "tollgate";
    private const string FolderPrefix = "tollgate-test-pg-";
    private const string OwnerFile = "owner.pid";

    private readonly string _bin;
    private readonly string _folder;
    private readonly string _data;
    private readonly bool _asPostgresUser;

    private PrivatePostgresCluster(string bin, string folder, bool asPostgresUser)
    {
        _bin = bin;
        _folder = folder;
        _data = Path.Combine(folder, "data");
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The Npgsql connection string of the cluster's <c>postgres</c> database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>
    /// Starts a cluster, or writes one message naming what to install and ends the test process: without server
    /// binaries every PostgreSQL test would fail with the same stack trace, hundreds of times.
    /// </summary>
    public static PrivatePostgresCluster StartOrExit()
    {
        var bin = FindBinaries();
        if (bin is null)
        {
            Console.Error.WriteLine(
                $"The PostgreSQL tests need a PostgreSQL server. Either install PostgreSQL's server binaries (Debian: " +
                $"`apt-get install postgresql-15`; any version 13 or later is found under /usr/lib/postgresql/*/bin, or " +
                $"set TOLLGATE_TEST_PG_BIN to the folder holding initdb, pg_ctl and postgres), and the tests start a " +
                $"private cluster themselves; or point {TestPostgres.Variable} at a server (an Npgsql connection string " +
                $"of a role that may create databases).");
            Environment.Exit(2);
        }

        RemoveAbandonedClusters(bin);
        var asPostgresUser = Environment.UserName == "root";
        var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Environment.ProcessId);
        var cluster = new PrivatePostgresCluster(bin, folder, asPostgresUser);
        cluster.Start();
        cluster.StartWatchdog();
        return cluster;
    }

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("TOLLGATE_TEST_PG_BIN") is { Length: > 0 } configured)
        {
            return HasServerBinaries(configured) ? configured : null;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        // The newest installed major version.
        return Directory.GetDirectories(debianRoot)
            .Select(folder => (Folder: folder, Major: int.TryParse(Path.GetFileName(folder), out var major) ? major : 0))
            .Where(candidate => candidate.Major >= 13 && HasServerBinaries(Path.Combine(candidate.Folder, "bin")))
            .OrderByDescending(candidate => candidate.Major)
            .Select(candidate => Path.Combine(candidate.Folder, "bin"))
            .FirstOrDefault();
    }

    private static bool HasServerBinaries(string bin) =>
        File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")) && File.Exists(Path.Combine(bin, "postgres"));

    private void Start()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var sockets = Path.Combine(_folder, "run");
        Directory.CreateDirectory(sockets);
        var passwordFile = Path.Combine(_folder, "password");
        File.WriteAllText(passwordFile, Password);
        if (_asPostgresUser)
        {
            // initdb refuses to run as root; the cluster belongs to the postgres user, as a packaged server does.
            Run("chown", ["-R", "postgres:", _folder], asPostgresUser: false);
        }

        Run(Path.Combine(_bin, "initdb"),
            ["-D", _data, "--username=tollgate", $"--pwfile={passwordFile}", "--auth-local=trust", "--auth-host=scram-sha-256",
             "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], _asPostgresUser);

        var port = FreeLoopbackPort();
        File.AppendAllText(Path.Combine(_data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {port}
            unix_socket_directories = '{sockets}'
            max_connections = 300
            fsync = off
            full_page_writes = off
            """);
        Run(Path.Combine(_bin, "pg_ctl"), ["-D", _data, "-l", Path.Combine(_folder, "postgres.log"), "-w", "-t", "120", "start"], _asPostgresUser);

        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "tollgate",
            Password = Password,
            Database = "postgres",
        }.ConnectionString;
    }

    /// <summary>
    /// Starts a detached shell that stops and removes the cluster within a second of this process ending, however it
    /// ends. An exit handler would not do: the test platform ends its test host without running them.
    /// </summary>
    private void StartWatchdog()
    {
        var stop = _asPostgresUser ? "runuser -u postgres -- \"$0\"" : "\"$0\"";
        var watchdog =
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; " +
            $"{stop} -D \"$1\" -m immediate -w stop; rm -rf -- \"$2\"";
        // The outer shell only detaches the watchdog (a new session, standard streams on /dev/null) and returns.
        Run("/bin/sh", ["-c", "setsid /bin/sh -c \"$0\" \"$1\" \"$2\" \"$3\" </dev/null >/dev/null 2>&1 &",
            watchdog, Path.Combine(_bin, "pg_ctl"), _data, _folder], asPostgresUser: false);
    }

    private void StopAndRemove()
    {
        try
        {
            Run(Path.Combine(_bin, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "stop"], _asPostgresUser);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"Stopping the private PostgreSQL cluster in {_folder} failed: {e.Message}");
        }

        TryDelete(_folder);
    }

    /// <summary>Stops and removes clusters whose test process and watchdog are both gone (a machine stopped mid-run).</summary>
    private static void RemoveAbandonedClusters(string bin)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var ownerFile = Path.Combine(folder, OwnerFile);
            if (!File.Exists(ownerFile) || !int.TryParse(File.ReadAllText(ownerFile), out var owner) || IsAlive(owner))
            {
                continue;
            }

            var abandoned = new PrivatePostgresCluster(bin, folder, Environment.UserName == "root");
            abandoned.StopAndRemove();
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"Could not remove {folder}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"Could not remove {folder}: {e.Message}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string program, IReadOnlyList<string> arguments, bool asPostgresUser)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgresUser ? "runuser" : program,
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        // Read both streams to the end before waiting: a full pipe would block the child.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}{output.Result}");
        }
    }
}
