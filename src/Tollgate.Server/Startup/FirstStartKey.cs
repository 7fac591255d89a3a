namespace Tollgate.Server.Startup;

/// <summary>
/// Where the secret key made on first start goes. On an interactive terminal it is printed once. When standard output
/// is redirected — a service manager, a container, a log collector — printing it would copy a live secret into
/// collected logs, so it is written to <see cref="FileName"/> in the data folder, readable and writable only by the
/// owner (mode 0600), and only that file's path is printed.
/// </summary>
internal static class FirstStartKey
{
    /// <summary>The name of the key file in the data folder.</summary>
    public const string FileName = "first-start-api-key";

    /// <summary>The name of the file holding the console's one-time owner link, beside the key file.</summary>
    public const string ConsoleLinkFileName = "first-start-console-link";

    /// <summary>The path of the key file for a data folder relative to <paramref name="contentRoot"/>.</summary>
    public static string PathIn(string dataDirectory, string contentRoot) =>
        Path.Combine(Path.GetFullPath(dataDirectory, contentRoot), FileName);

    /// <summary>Writes the key to <paramref name="path"/> with mode 0600 (replacing an older file); returns the path.</summary>
    public static string WriteFile(string path, string key)
    {
        ArgumentNullException.ThrowIfNull(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // The mode is given at creation, so the key is never readable by others, not even for a moment; an older file
        // (from an earlier, since emptied database) is removed first because an existing file keeps its mode.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.WriteLine(key);
        }

        return path;
    }
}
