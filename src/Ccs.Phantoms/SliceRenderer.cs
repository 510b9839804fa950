namespace Ccs.Phantoms;

/// <summary>Turns a scene into an 8-bit slice the way a scanner would: sample, blur, contrast, bias, noise.</summary>
public static class SliceRenderer
{
    public const int Width = 112;
    public const int Height = 224;

    private const int Supersampling = 2;

    public static byte[] Render(SagittalScene scene, ScannerProfile scanner, PhantomRandom noise)
    {
        var field = Sample(scene, scanner);
        field = Blur(field, scanner.BlurSigma);
        var pixels = new byte[field.Length];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var i = y * Width + x;
                var value = 255 * scanner.Gain * Math.Pow(Math.Max(field[i], 0) / 255, scanner.Gamma);
                value *= scanner.BiasAt(2.0 * x / (Width - 1) - 1, 2.0 * y / (Height - 1) - 1);
                pixels[i] = Quantise(Rician(value, scanner.NoiseSigma, noise));
            }
        }

        return pixels;
    }

    private static double[] Sample(SagittalScene scene, ScannerProfile scanner)
    {
        var angle = scanner.RotationDegrees * Math.PI / 180;
        var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
        var field = new double[Width * Height];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var sum = 0.0;
                for (var k = 0; k < Supersampling * Supersampling; k++)
                {
                    var px = x + (k % Supersampling + 0.5) / Supersampling - Width / 2.0 - scanner.ShiftX;
                    var py = y + (k / Supersampling + 0.5) / Supersampling - Height / 2.0 - scanner.ShiftY;
                    sum += scene.Signal(Width / 2.0 + cos * px - sin * py, Height / 2.0 + sin * px + cos * py);
                }

                field[y * Width + x] = sum / (Supersampling * Supersampling);
            }
        }

        return field;
    }

    private static double[] Blur(double[] field, double sigma)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = Enumerable.Range(-radius, 2 * radius + 1)
            .Select(d => Math.Exp(-d * d / (2 * sigma * sigma)))
            .ToArray();
        var total = kernel.Sum();
        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= total;
        }

        var rows = Convolve(field, kernel, 1, Width);
        return Convolve(rows, kernel, Width, Height);
    }

    /// <summary>One-dimensional convolution along rows (step 1) or columns (step Width), edges clamped.</summary>
    private static double[] Convolve(double[] field, double[] kernel, int step, int length)
    {
        var radius = kernel.Length / 2;
        var result = new double[field.Length];
        for (var i = 0; i < field.Length; i++)
        {
            var position = step == 1 ? i % Width : i / Width;
            var sum = 0.0;
            for (var k = -radius; k <= radius; k++)
            {
                var p = Math.Clamp(position + k, 0, length - 1);
                sum += kernel[k + radius] * field[i + (p - position) * step];
            }

            result[i] = sum;
        }

        return result;
    }

    /// <summary>Magnitude images carry Rician noise: Gaussian noise on both channels before the modulus.</summary>
    private static double Rician(double value, double sigma, PhantomRandom noise)
    {
        if (sigma <= 0)
        {
            return value;
        }

        var real = value + sigma * noise.Gaussian();
        var imaginary = sigma * noise.Gaussian();
        return Math.Sqrt(real * real + imaginary * imaginary);
    }

    private static byte Quantise(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
