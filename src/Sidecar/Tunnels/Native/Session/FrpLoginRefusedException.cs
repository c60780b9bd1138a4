namespace Sidecar.Tunnels.Native.Session;

/// <summary>frps answered Login with an error (a wrong token, most often); its own words are kept.</summary>
internal sealed class FrpLoginRefusedException(string serverError) : Exception($"frps refused the login: {serverError}")
{
    public string ServerError { get; } = serverError;
}
