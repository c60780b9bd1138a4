namespace Sidecar.Tunnels.Native.Visitors;

/// <summary>What frps said when it refused a visitor connection, sorted into what a person should check.</summary>
internal enum FrpVisitorRefusal
{
    Other,

    /// <summary>"custom listener for [x] doesn't exist": no such stcp/sudp proxy is registered (now).</summary>
    UnknownProxy,

    /// <summary>"visitor connection of [x] auth failed": the secret key differs from the proxy's.</summary>
    WrongSecret,

    /// <summary>"visitor connection of [x] user [u] not allowed": the proxy's allowUsers excludes us.</summary>
    UserNotAllowed,
}

internal sealed class FrpVisitorRefusedException(string serverError)
    : Exception($"frps refused the visitor connection: \"{serverError}\" ({Hint(Classify(serverError))})")
{
    public string ServerError { get; } = serverError;

    public FrpVisitorRefusal Refusal { get; } = Classify(serverError);

    /// <summary>frp v0.61 server/visitor/visitor.go's messages.</summary>
    public static FrpVisitorRefusal Classify(string error) =>
        error.Contains("doesn't exist", StringComparison.Ordinal) ? FrpVisitorRefusal.UnknownProxy
        : error.Contains("auth failed", StringComparison.Ordinal) ? FrpVisitorRefusal.WrongSecret
        : error.Contains("not allowed", StringComparison.Ordinal) ? FrpVisitorRefusal.UserNotAllowed
        : FrpVisitorRefusal.Other;

    private static string Hint(FrpVisitorRefusal refusal) => refusal switch
    {
        FrpVisitorRefusal.UnknownProxy => "the proxy is not registered at this frp server: is its frpc running?",
        FrpVisitorRefusal.WrongSecret => "the secret key differs from the proxy's secretKey",
        FrpVisitorRefusal.UserNotAllowed => "the proxy's allowUsers does not include this visitor's user",
        _ => "see frps's log",
    };
}
