namespace Ccs.Phantoms;

/// <summary>
/// xoshiro256** seeded through splitmix64. The algorithm is fixed here rather than borrowed from
/// <see cref="System.Random"/>, whose sequence for a given seed is an implementation detail of the runtime,
/// so a seed names the same phantoms on every .NET version.
/// </summary>
public sealed class PhantomRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public PhantomRandom(ulong seed)
    {
        var state = seed;
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    /// <summary>
    /// One independent stream per part of a case, so a test can swap the pathology of a case and keep its anatomy,
    /// scanner and noise exactly as they were.
    /// </summary>
    public static PhantomRandom For(int seed, int index, RandomStream stream) =>
        new(Mix(Mix(Mix((ulong)(uint)seed) ^ (ulong)(uint)index) ^ (ulong)stream));

    public ulong NextBits()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    public bool Chance(double probability) => NextDouble() < probability;

    public int Below(int count) => (int)(NextDouble() * count);

    /// <summary>Standard normal by Box-Muller; one value per call keeps the stream position easy to follow.</summary>
    public double Gaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A well-mixed 64-bit value for a key, used for lattice noise that needs no stored table.</summary>
    public static ulong Mix(ulong key)
    {
        var state = key;
        return SplitMix(ref state);
    }

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}

/// <summary>The independent random streams of one case.</summary>
public enum RandomStream
{
    Patient = 1,
    Anatomy = 2,
    Pathology = 3,
    Scanner = 4,
    Texture = 5,
    Noise = 6,
}
