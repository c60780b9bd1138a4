namespace Sidecar.Tests.Support;

/// <summary>The checkout the tests were built from, for tests about its documents and deployment files.</summary>
internal static class RepositoryRoot
{
    public static string Path
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Sidecar.Aot.sln")))
            {
                directory = directory.Parent;
            }
            return directory?.FullName ?? throw new InvalidOperationException("the tests do not run inside the repository");
        }
    }

    public static string File(string relative) => System.IO.Path.Combine(Path, relative);
}
