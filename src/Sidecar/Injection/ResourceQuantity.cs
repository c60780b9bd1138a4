using System.Globalization;

namespace Sidecar.Injection;

/// <summary>
/// A Kubernetes resource quantity (<c>10m</c>, <c>32Mi</c>, <c>0.5</c>, <c>1e3</c>) as the API server reads it
/// (k8s.io/apimachinery resource.Quantity): a non-negative decimal with a binary-SI (Ki..Ei), decimal-SI
/// (m, k, M, G, T, P, E) or decimal-exponent suffix. Checked when the webhook starts, so a typo in a setting
/// fails the webhook at once (exit 2) instead of every Pod it patches at creation.
/// </summary>
internal static class ResourceQuantity
{
    /// <summary>The value in base units (cores, bytes).</summary>
    /// <exception cref="FormatException">Not a quantity.</exception>
    public static decimal Parse(string text)
    {
        var value = text.Trim();
        var digits = 0;
        while (digits < value.Length && (char.IsAsciiDigit(value[digits]) || value[digits] == '.'))
        {
            digits++;
        }
        var number = value[..digits];
        if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw new FormatException("expected a number such as 10m or 32Mi");
        }
        return amount * Multiplier(value[digits..]);
    }

    private static decimal Multiplier(string suffix) => suffix switch
    {
        "" => 1m,
        "m" => 0.001m,
        "k" => 1e3m,
        "M" => 1e6m,
        "G" => 1e9m,
        "T" => 1e12m,
        "P" => 1e15m,
        "E" => 1e18m,
        "Ki" => 1024m,
        "Mi" => 1024m * 1024,
        "Gi" => 1024m * 1024 * 1024,
        "Ti" => 1024m * 1024 * 1024 * 1024,
        "Pi" => 1024m * 1024 * 1024 * 1024 * 1024,
        "Ei" => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
        ['e' or 'E', .. var exponent] when int.TryParse(exponent, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e) && e is >= -18 and <= 18
            => Pow10(e),
        _ => throw new FormatException($"unknown suffix '{suffix}' (use m, k, M, G, Ki, Mi, Gi, ...)"),
    };

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result *= 10;
        }
        return exponent < 0 ? 1 / result : result;
    }
}
