namespace Ccs.Core.Preprocessing;

/// <summary>
/// The model input for one case: the three slices as the channels of one 224 x 112 image (mid slice in the middle
/// channel), interleaved HWC, float 0..255.
/// </summary>
public sealed class CaseTensor
{
    public const int Height = 224;
    public const int Width = 112;
    public const int Channels = 3;
    public const int Length = Height * Width * Channels;

    public CaseTensor(float[] values)
    {
        if (values.Length != Length)
        {
            throw new ArgumentException($"a case tensor holds {Length} values, not {values.Length}");
        }

        Values = values;
    }

    public float[] Values { get; }

    public byte[] ToBytes()
    {
        var bytes = new byte[Length * sizeof(float)];
        Buffer.BlockCopy(Values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    public static CaseTensor FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length * sizeof(float))
        {
            throw new ArgumentException($"a stored case tensor is {Length * sizeof(float)} bytes, not {bytes.Length}");
        }

        var values = new float[Length];
        bytes.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return new CaseTensor(values);
    }
}
