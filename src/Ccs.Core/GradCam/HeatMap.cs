namespace Ccs.Core.GradCam;

/// <summary>A single-channel map, row-major: a Grad-CAM at feature resolution or upsampled to the input.</summary>
public sealed record HeatMap(int Height, int Width, float[] Values)
{
    public static HeatMap Zero(int height, int width) => new(height, width, new float[height * width]);

    public HeatMap Add(HeatMap other)
    {
        if (other.Height != Height || other.Width != Width)
        {
            throw new ArgumentException($"cannot add a {other.Height} x {other.Width} map to a {Height} x {Width} one");
        }

        var sum = new float[Values.Length];
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] = Values[i] + other.Values[i];
        }

        return this with { Values = sum };
    }
}
