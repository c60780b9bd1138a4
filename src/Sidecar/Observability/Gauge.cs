namespace Sidecar.Observability;

/// <summary>A value that goes up and down; lock-free.</summary>
internal sealed class Gauge
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Set(long value) => Interlocked.Exchange(ref _value, value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Decrement() => Interlocked.Decrement(ref _value);
}
