namespace FakeFrpc;

/// <summary>frpc-like log lines on stdout ("[I]", "[W]", "[E]").</summary>
internal static class Log
{
    public static void Info(string message) => Write("I", message);

    public static void Warn(string message) => Write("W", message);

    public static void Error(string message) => Write("E", message);

    private static void Write(string level, string message) =>
        Console.Out.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss.fff} [{level}] {message}");
}
