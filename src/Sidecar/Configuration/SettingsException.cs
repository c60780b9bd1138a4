namespace Sidecar.Configuration;

/// <summary>A setting has a bad value. The message is the one line the user sees before exit code 2.</summary>
internal sealed class SettingsException(string message) : Exception(message);
