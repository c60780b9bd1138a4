using System.Net;

namespace Sidecar.Tunnels.Native.Visitors;

/// <summary>
/// The applications an sudp visitor has heard from recently, with idle expiry and a cap (as the udp
/// forwarder's flows): replies from frps go only to these, and a flood of new source addresses stops at
/// the cap instead of growing without bound.
/// </summary>
internal sealed class SudpFlowTable(int capacity, TimeSpan idleTimeout, TimeProvider time)
{
    private readonly Dictionary<IPEndPoint, long> _lastSeen = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _lastSeen.Count;
            }
        }
    }

    /// <summary>Records traffic from <paramref name="client"/>; false if it is new and the table is full.</summary>
    public bool Touch(IPEndPoint client)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (!_lastSeen.ContainsKey(client) && _lastSeen.Count >= capacity)
            {
                Expire(now);
                if (_lastSeen.Count >= capacity)
                {
                    return false;
                }
            }
            _lastSeen[client] = now;
            return true;
        }
    }

    public bool IsKnown(IPEndPoint client)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (!_lastSeen.TryGetValue(client, out var seen))
            {
                return false;
            }
            if (time.GetElapsedTime(seen, now) > idleTimeout)
            {
                _lastSeen.Remove(client);
                return false;
            }
            // A reply keeps the flow alive, as a NAT mapping does.
            _lastSeen[client] = now;
            return true;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _lastSeen.Clear();
        }
    }

    private void Expire(long now)
    {
        foreach (var (client, seen) in _lastSeen)
        {
            if (time.GetElapsedTime(seen, now) > idleTimeout)
            {
                _lastSeen.Remove(client);
            }
        }
    }
}
