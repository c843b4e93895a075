namespace Rag.ModelForge;

/// <summary>
/// SplitMix64: a tiny PRNG whose output is fixed by its seed on every machine and runtime,
/// unlike <see cref="Random"/> whose algorithm is unspecified. Weights depend only on (preset, seed).
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;
    private double? _spareGaussian;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal by Box–Muller; the second value of each pair is kept for the next call.</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = radius * Math.Sin(2.0 * Math.PI * u2);
        return radius * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A fresh array of normal values with the given standard deviation around <paramref name="mean"/>.</summary>
    public float[] Normal(int count, double std, double mean = 0.0)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(mean + std * NextGaussian());
        }
        return values;
    }
}
