using System.IO.Compression;

namespace Ccs.Phantoms.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public void SameSeedWritesByteIdenticalFolders()
    {
        using var first = new TemporaryFolder();
        using var second = new TemporaryFolder();

        PhantomBatch.Write(3, 7, first.Path, zip: false);
        PhantomBatch.Write(3, 7, second.Path, zip: false);

        var files = RelativeFiles(first.Path);
        Assert.Equal(12, files.Count);
        Assert.Equal(files, RelativeFiles(second.Path));
        foreach (var file in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, file)),
                File.ReadAllBytes(Path.Combine(second.Path, file)));
        }
    }

    [Fact]
    public void SameSeedWritesByteIdenticalZips()
    {
        using var first = new TemporaryFolder();
        using var second = new TemporaryFolder();

        PhantomBatch.Write(2, 7, first.Path, zip: true);
        PhantomBatch.Write(2, 7, second.Path, zip: true);

        foreach (var name in new[] { "phantom-s7-0001.zip", "phantom-s7-0002.zip" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, name)),
                File.ReadAllBytes(Path.Combine(second.Path, name)));
        }
    }

    [Fact]
    public void ZipHoldsTheFourFilesAtItsRoot()
    {
        using var folder = new TemporaryFolder();

        var path = CaseWriter.WriteZip(PhantomCase.Render(PhantomSpec.Draw(7, 1)), folder.Path);

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(["0.png", "1.png", "2.png", "case.json"], zip.Entries.Select(e => e.FullName).Order());
    }

    [Fact]
    public void DifferentSeedsGiveDifferentCases()
    {
        var seven = PhantomCase.Render(PhantomSpec.Draw(7, 1));
        var eight = PhantomCase.Render(PhantomSpec.Draw(8, 1));

        Assert.NotEqual(seven.Slices[1], eight.Slices[1]);
        Assert.NotEqual(seven.Spec.Anatomy.CentreX, eight.Spec.Anatomy.CentreX);
    }

    [Fact]
    public void CasesOfOneSeedDifferFromEachOther()
    {
        var first = PhantomCase.Render(PhantomSpec.Draw(7, 1));
        var second = PhantomCase.Render(PhantomSpec.Draw(7, 2));

        Assert.NotEqual(first.Slices[1], second.Slices[1]);
    }

    [Fact]
    public void LateralSlicesDifferSlightlyFromTheMidSlice()
    {
        var phantom = PhantomCase.Render(PhantomSpec.Draw(7, 1) with { Scanner = ScannerProfile.Clean });

        var mid = phantom.Slices[1];
        foreach (var lateral in new[] { phantom.Slices[0], phantom.Slices[2] })
        {
            var meanDifference = mid.Zip(lateral, (a, b) => Math.Abs(a - b)).Average();
            Assert.InRange(meanDifference, 0.5, 25);
        }
    }

    private static List<string> RelativeFiles(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Order(StringComparer.Ordinal)
            .ToList();
}
