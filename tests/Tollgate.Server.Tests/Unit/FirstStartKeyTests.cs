using Tollgate.Server.Startup;

namespace Tollgate.Server.Tests.Unit;

/// <summary>The first-start key file is created readable and writable by its owner only, even over an older file.</summary>
public sealed class FirstStartKeyTests
{
    [Fact]
    public void TheKeyFileReplacesAnOlderOneAndIsReadableOnlyByItsOwner()
    {
        var folder = Directory.CreateTempSubdirectory("tollgate-key-file-");
        try
        {
            var path = FirstStartKey.PathIn("data", folder.FullName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "an older key");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            FirstStartKey.WriteFile(path, "tg_sk_the_new_key");

            Assert.Equal(Path.Combine(folder.FullName, "data", "first-start-api-key"), path);
            Assert.Equal("tg_sk_the_new_key", File.ReadAllText(path).Trim());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
