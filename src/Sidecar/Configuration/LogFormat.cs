namespace Sidecar.Configuration;

internal enum LogFormat
{
    Simple,
    Json,
}
