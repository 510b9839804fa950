using Ccs.Core.Cases;
using Ccs.Core.Preprocessing;

namespace Ccs.Core.Tests;

public sealed class PreprocessingTests
{
    [Fact]
    public void Upsampling_two_pixels_to_four_uses_half_pixel_centres_and_clamps_the_edges()
    {
        // Destination d samples (d + 0.5) * 2 / 4 - 0.5: -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        var row = Bilinear.Resize([10f, 20f], 1, 2, 1, 1, 4);

        Assert.Equal([10f, 12.5f, 17.5f, 20f], row);
    }

    [Fact]
    public void Downsampling_four_pixels_to_two_averages_the_middle_pairs_without_antialiasing()
    {
        // Destination 0 samples 0.5 and destination 1 samples 2.5: the mean of pixels 0,1 and of 2,3.
        var row = Bilinear.Resize([0f, 10f, 20f, 40f], 1, 4, 1, 1, 2);

        Assert.Equal([5f, 30f], row);
    }

    [Fact]
    public void Resizing_interleaved_channels_keeps_them_apart()
    {
        var image = Bilinear.Resize([0f, 100f, 10f, 200f], 1, 2, 2, 1, 4);

        Assert.Equal([0f, 100f, 2.5f, 125f, 7.5f, 175f, 10f, 200f], image);
    }

    [Fact]
    public void A_crop_window_is_resampled_from_its_own_pixels()
    {
        // 1 x 6 row 0..50; the window [1, 5) holds 10, 20, 30, 40 and is resized to 2: 15 and 35.
        var row = Bilinear.Resize([0f, 10f, 20f, 30f, 40f, 50f], 1, 6, 1, new Bilinear.Window(0, 1, 1, 4), 1, 2);

        Assert.Equal([15f, 35f], row);
    }

    [Fact]
    public void The_centre_crop_keeps_212_by_106_pixels_from_row_6_and_column_3()
    {
        Assert.Equal(new Bilinear.Window(6, 3, 212, 106), Preprocessor.CropWindow(224, 112));
    }

    [Fact]
    public void Preprocessing_stacks_slices_as_channels_then_crops_and_resizes_back()
    {
        // Slice c holds 100 * c + x, so every value is linear in x and the resize is exact: output column x samples
        // window column (x + 0.5) * 106 / 112 - 0.5, i.e. source column 3 + that.
        var slices = Enumerable.Range(0, 3)
            .Select(c => new Slice($"{c}.png", 112, 224, 8, Enumerable.Range(0, 224 * 112)
                .Select(i => 100f * c + i % 112).ToArray(), ""))
            .ToList();
        var input = new CaseInput("linear", "test", slices, Demographics.Unknown, null);

        var prepared = Preprocessor.Prepare(input);

        Assert.Empty(prepared.Notes);
        var values = prepared.Tensor.Values;
        foreach (var (y, x) in new[] { (0, 0), (0, 111), (100, 50), (223, 7) })
        {
            var source = Math.Clamp((x + 0.5) * 106.0 / 112.0 - 0.5, 0, 105) + 3;
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(100 * c + source, values[(y * 112 + x) * 3 + c], 3);
            }
        }

        Assert.Equal(3.0, values[0], 3);
        Assert.Equal(100 + 108.0, values[111 * 3 + 1], 3);
    }

    [Fact]
    public void Vertical_crop_takes_rows_6_to_217()
    {
        var slices = Enumerable.Range(0, 3)
            .Select(c => new Slice($"{c}.png", 112, 224, 8, Enumerable.Range(0, 224 * 112)
                .Select(i => (float)(i / 112)).ToArray(), ""))
            .ToList();

        var input = new CaseInput("rows", "test", slices, Demographics.Unknown, null);
        var values = Preprocessor.Prepare(input).Tensor.Values;

        // Row 0 samples window row (0.5 * 212 / 224 - 0.5) < 0, clamped: source row 6. Row 223 clamps to row 217.
        Assert.Equal(6f, values[0], 3);
        Assert.Equal(217f, values[223 * 112 * 3], 3);
        var middle = (112.5 * 212.0 / 224.0 - 0.5) + 6;
        Assert.Equal(middle, values[112 * 112 * 3 + 2], 3);
    }

    [Fact]
    public void Slices_of_another_size_are_resized_first_and_the_report_says_so()
    {
        var slices = Enumerable.Range(0, 3)
            .Select(c => new Slice($"{c}.png", 56, 112, 8, Enumerable.Repeat(40f * (c + 1), 56 * 112).ToArray(), ""))
            .ToList();

        var prepared = Preprocessor.Prepare(new CaseInput("small", "test", slices, Demographics.Unknown, null));

        var note = Assert.Single(prepared.Notes);
        Assert.Contains("56 x 112", note);
        Assert.All(Enumerable.Range(0, CaseTensor.Height * CaseTensor.Width), i =>
        {
            Assert.Equal(40f, prepared.Tensor.Values[i * 3]);
            Assert.Equal(120f, prepared.Tensor.Values[i * 3 + 2]);
        });
    }

    [Fact]
    public void Sixteen_bit_slices_are_stretched_from_their_own_minimum_and_maximum()
    {
        var png = TestFiles.Gray16(4, 1, (x, _) => (ushort)(1000 + 1000 * x));

        var slice = SliceDecoder.Decode(png, "c", "0.png", CaseLimits.Default);

        Assert.Equal(16, slice.SourceBitDepth);
        Assert.Equal([0f, 85f, 170f, 255f], slice.Pixels);
    }

    [Fact]
    public void Eight_bit_slices_keep_their_values()
    {
        var png = TestFiles.Gray8(3, 1, (x, _) => (byte)(x * 100));

        var slice = SliceDecoder.Decode(png, "c", "0.png", CaseLimits.Default);

        Assert.Equal([0f, 100f, 200f], slice.Pixels);
        Assert.Equal(64, slice.Sha256.Length);
    }

    [Fact]
    public void A_tensor_survives_a_round_trip_through_bytes()
    {
        var values = Enumerable.Range(0, CaseTensor.Length).Select(i => i * 0.5f).ToArray();

        var copy = CaseTensor.FromBytes(new CaseTensor(values).ToBytes());

        Assert.Equal(values, copy.Values);
    }
}
