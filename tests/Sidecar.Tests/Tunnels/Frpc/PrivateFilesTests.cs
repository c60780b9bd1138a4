using Sidecar.Tunnels.Frpc;

namespace Sidecar.Tests.Tunnels.Frpc;

public sealed class PrivateFilesTests
{
    [Fact]
    public void EnsureDirectory_OpenDirectory_TightenedTo0700()
    {
        using var temp = new TempDirectory();
        var dir = temp.File("state");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);

        PrivateFiles.EnsureDirectory(dir);

        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(dir));
    }

    [Fact]
    public void EnsureDirectory_Missing_CreatedWith0700()
    {
        using var temp = new TempDirectory();
        var dir = temp.File("a/b");

        PrivateFiles.EnsureDirectory(dir);

        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(dir));
    }

    [Fact]
    public void WriteAtomic_NewFile_Mode0600()
    {
        using var temp = new TempDirectory();
        var path = temp.File("frpc-1.toml");

        PrivateFiles.WriteAtomic(path, "token = \"x\"\n");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("token = \"x\"\n", File.ReadAllText(path));
    }

    [Fact]
    public void WriteAtomic_ExistingWorldReadableFile_ReplacedBy0600File()
    {
        using var temp = new TempDirectory();
        var path = temp.File("frpc-1.toml");
        File.WriteAllText(path, "old content that is longer than the new one");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        var before = new FileInfo(path);
        using var heldOpen = File.OpenRead(path);

        PrivateFiles.WriteAtomic(path, "new");

        // A reader that opened the old file still sees the whole old file: the new one came by rename(2).
        Assert.Equal("old content that is longer than the new one", new StreamReader(heldOpen).ReadToEnd());
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(path));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }
}
