using System.Globalization;
using System.Net;
using Sidecar.Dns.Wire;

namespace Sidecar.Configuration;

/// <summary>Parsers for setting values. Each throws <see cref="FormatException"/> with a short reason.</summary>
internal static class ValueParsers
{
    public static bool LooksLikeBool(string value) =>
        value.ToLowerInvariant() is "true" or "false" or "1" or "0" or "yes" or "no" or "on" or "off";

    public static bool ParseBool(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new FormatException(""),
    };

    public static int ParseInt(string value, int min, int max)
    {
        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var result))
        {
            throw new FormatException("");
        }
        if (result < min || result > max)
        {
            throw new FormatException($"must be between {min} and {max}");
        }
        return result;
    }

    /// <summary>
    /// Go-style durations as Kubernetes users write them (<c>500ms</c>, <c>10s</c>, <c>1m30s</c>, <c>2h</c>);
    /// a bare number is seconds.
    /// </summary>
    public static TimeSpan ParseDuration(string value)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            throw new FormatException("empty");
        }
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bareSeconds))
        {
            return TimeSpan.FromSeconds(bareSeconds);
        }

        var total = TimeSpan.Zero;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }
            var units = digits;
            while (units < rest.Length && char.IsAsciiLetter(rest[units]))
            {
                units++;
            }
            if (digits == 0 || units == digits
                || !double.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                throw new FormatException("");
            }
            total += rest[digits..units] switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => throw new FormatException($"unknown unit '{rest[digits..units]}'"),
            };
            rest = rest[units..];
        }
        return total;
    }

    /// <summary><c>ip:port</c>, <c>[ipv6]:port</c>, or a bare address that takes <paramref name="defaultPort"/>. Never a host name.</summary>
    public static IPEndPoint ParseEndpoint(string value, int defaultPort)
    {
        var text = value.Trim();
        if (IPAddress.TryParse(text, out var bare) && !text.StartsWith('['))
        {
            return new IPEndPoint(bare, defaultPort);
        }
        if (text.StartsWith('[') && text.EndsWith(']') && IPAddress.TryParse(text.AsSpan(1, text.Length - 2), out var bracketed))
        {
            return new IPEndPoint(bracketed, defaultPort);
        }
        if (!IPEndPoint.TryParse(text, out var endpoint))
        {
            throw new FormatException("");
        }
        if (endpoint.Port == 0)
        {
            throw new FormatException("port 0 is not allowed");
        }
        return endpoint;
    }

    public static IReadOnlyList<IPEndPoint> ParseEndpointList(string value, int defaultPort)
    {
        var list = new List<IPEndPoint>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            list.Add(ParseEndpoint(item, defaultPort));
        }
        return list;
    }

    public static IPNetwork ParseCidr(string value)
    {
        var text = value.Trim();
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            throw new FormatException("missing '/prefix'");
        }
        if (!IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
        {
            throw new FormatException("");
        }
        var network = new IPNetwork(Mask(address, prefix), prefix);
        // A typo in the range should not silently become another range.
        return network.BaseAddress.Equals(address)
            ? network
            : throw new FormatException($"host bits are set; did you mean {network}?");
    }

    public static IReadOnlyList<string> ParseDomainList(string value)
    {
        var list = new List<string>();
        foreach (var item in value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var domain = item.TrimEnd('.').ToLowerInvariant();
            if (!DnsName.IsValid(domain))
            {
                throw new FormatException($"'{item}' is not a DNS name");
            }
            if (!list.Contains(domain))
            {
                list.Add(domain);
            }
        }
        return list;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
